import { LRUCache } from 'lru-cache';
import { BUNDLED_CONTEXTS } from './contexts.js';

/**
 * JSON-LD processing once per document *shape*. Credentials of one badge class and language differ
 * only in their values (the learner, dates, ids, evidence); their shape (keys, array lengths, types,
 * contexts, numbers) is shared. A stock JSON-LD step (jsonld.js expansion, or toRDF) runs once per
 * shape on a *skeleton*, the document with every string value replaced by a placeholder, and its
 * output is kept as a template; each later document of that shape gets its output by putting its
 * values back where the placeholders came out (`canonical-templates.ts`, `expansion-templates.ts`).
 *
 * Why a placeholder stands for any value of its kind (the differential tests in
 * `test/jsonld/canonical-templates.test.ts` hold both uses to the stock path byte for byte):
 * - Only documents whose contexts are all bundled URLs qualify: no inline context, so term
 *   definitions are the known ones, and templates are made with the bundled contexts alone.
 * - `type` and every keyword but `@id`/`@value` stay in the shape: type-scoped contexts, languages
 *   and datatypes come from the shape, never from a slot.
 * - A string becomes a slot of one kind: an absolute IRI without whitespace (kind = its scheme, and
 *   whether `//` follows) or anything else (a literal). Its placeholder is of the same kind. In a
 *   literal field any string is the same literal; in an IRI field an absolute IRI is itself unless
 *   its scheme is a prefix term, which the placeholder, sharing the scheme, would reveal.
 * - After a template is made, every placeholder must come out as a whole value, exactly as written,
 *   and at least once. A slot that fails (a literal in an `@vocab` field such as `proofPurpose`, a
 *   relative `@id`) is *pinned*: its value joins the shape.
 * Anything else (an inline context, a shape whose template cannot be made) goes the stock way.
 * Templates for our own documents are made when a shape is first met; for others' documents on the
 * second sighting, so a stream of one-off shapes costs no more than the stock path.
 */
export interface Shape {
  key: string;
  values: string[];
}

const OPEN = '\u27EAc14n-slot-';
const SLOTS = /\u27EAc14n-slot-(\d+)\u27EB/g;
const WHOLE = /\u27EAc14n-slot-(\d+)\u27EB$/;
const ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+.-]*):(\/\/)?[^\s]*$/;

/** The placeholder for slot `index` holding `value`: of the value's kind. */
export function placeholder(value: string, index: number): string {
  const m = ABSOLUTE_IRI.exec(value);
  const mark = `${OPEN}${index}\u27EB`;
  return m ? `${m[1]}:${m[2] ?? ''}${mark}` : mark;
}

const slotKind = (value: string): string => {
  const m = ABSOLUTE_IRI.exec(value);
  return m ? `I${quoted(m[1]!)}${m[2] ? '/' : ''}` : 'L';
};

/** Reads where placeholders came out: a whole value is a slot, anything else containing one fails it. */
export class SlotReader {
  readonly failed = new Set<number>();
  private readonly seen = new Set<number>();

  constructor(
    private readonly shape: Shape,
    private readonly pinned: ReadonlySet<number>,
  ) {}

  /** The slot `value` is, when it is exactly a placeholder of an unpinned slot; else marks what it contains as failed. */
  slot(value: string): number | undefined {
    if (!value.includes(OPEN)) return undefined;
    const m = WHOLE.exec(value);
    const i = m ? Number(m[1]) : -1;
    const original = this.shape.values[i];
    if (original !== undefined && !this.pinned.has(i) && value === placeholder(original, i)) {
      this.seen.add(i);
      return i;
    }
    this.fail(value);
    return undefined;
  }

  /** A string where no placeholder may be (a predicate, a datatype, a key): any in it fails. */
  fail(value: string | undefined): void {
    if (value?.includes(OPEN)) for (const m of value.matchAll(SLOTS)) this.failed.add(Number(m[1]));
  }

  /** Slots that failed, or never came out at all. */
  done(): Set<number> {
    this.shape.values.forEach((_, i) => {
      if (!this.pinned.has(i) && !this.seen.has(i)) this.failed.add(i);
    });
    return this.failed;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An IRI (or compact IRI) a term maps to: not a keyword, so no term becomes an alias of `@type` or `@id`. */
const termIri = (v: unknown): boolean => typeof v === 'string' && v !== '' && !v.startsWith('@');
/**
 * An embedded context that only names terms (as the micro-credential extension's does): each an IRI,
 * or `{ "@id": IRI, "@type"?: "@id" | IRI }`. No keyword of its own (`@vocab`, `@base`, `@import`,
 * scoped contexts, containers), so its text, kept in the shape key like a context URL, is all it does.
 */
const termsOnly = (context: unknown): boolean =>
  isObject(context) &&
  Object.entries(context).every(
    ([term, definition]) =>
      !term.startsWith('@') &&
      (termIri(definition) ||
        (isObject(definition) &&
          termIri(definition['@id']) &&
          Object.keys(definition).every((k) => k === '@id' || k === '@type') &&
          (definition['@type'] === undefined || definition['@type'] === '@id' || termIri(definition['@type'])))),
  );

const bundledOnly = (context: unknown): boolean =>
  typeof context === 'string' ? BUNDLED_CONTEXTS.has(context) : Array.isArray(context) && context.every((c) => (typeof c === 'string' ? BUNDLED_CONTEXTS.has(c) : termsOnly(c)));

/** Keys whose string values are part of the shape: `type` and the keywords other than `@id` and `@value`. */
const structural = (key: string | undefined): boolean => key === 'type' || (key !== undefined && key.startsWith('@') && key !== '@id' && key !== '@value');

/** A string in a shape key: length-prefixed, so that no two different shapes share a key. */
const quoted = (text: string): string => `${text.length}"${text}`;

/** The document's shape and its slot values, or undefined if it does not qualify. */
export function shapeOf(document: unknown): Shape | undefined {
  let key = '';
  const values: string[] = [];
  const walk = (value: unknown, name: string | undefined): boolean => {
    if (typeof value === 'string') {
      if (structural(name)) key += `s${quoted(value)}`;
      else {
        key += slotKind(value);
        values.push(value);
      }
      return true;
    }
    if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      key += `v${JSON.stringify(value)};`;
      return true;
    }
    if (Array.isArray(value)) {
      key += '[';
      for (const item of value) if (!walk(item, name)) return false;
      key += ']';
      return true;
    }
    if (typeof value === 'object') {
      key += '{';
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue;
        const v = (value as Record<string, unknown>)[k];
        key += `k${quoted(k)}`;
        if (k === '@context') {
          if (!bundledOnly(v)) return false;
          key += `c${quoted(JSON.stringify(v))}`;
        } else if (!walk(v, k)) return false;
      }
      key += '}';
      return true;
    }
    return false;
  };
  return walk(document, undefined) ? { key, values } : undefined;
}

/** The document with slot values replaced by placeholders, except the pinned ones. */
function skeletonOf(document: unknown, pinned: ReadonlySet<number>): unknown {
  let index = 0;
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === 'string') {
      if (structural(key)) return value;
      const i = index++;
      return pinned.has(i) ? value : placeholder(value, i);
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '@context' ? v : walk(v, k)]));
    }
    return value;
  };
  return walk(document, undefined);
}

const NONE: ReadonlySet<number> = new Set();
const pinnedKey = (shape: Shape, pinned: ReadonlySet<number>): string =>
  pinned.size === 0 ? shape.key : `${shape.key}\n${JSON.stringify([...pinned].map((i) => shape.values[i]))}`;

/** One use of templates: the stock step, how to read its output for slots, and what to keep. */
export interface TemplateKind<Out, T> {
  /** The stock JSON-LD step over bundled contexts; `safe: false` only serves to locate pins. */
  run(skeleton: unknown, safe: boolean): Promise<Out>;
  /** Reads the output for slots (with `reader.slot`), then returns the template. */
  compile(out: Out, reader: SlotReader): T;
}

export interface ShapeTemplateOptions {
  /** Shapes remembered; least recently used ones go first. */
  maxShapes?: number;
  /** The sighting of a shape on which its template is made: 1 for our own documents, 2 for others'. */
  buildOn?: 1 | 2;
}

export interface TemplateStats {
  /** Documents served by a template. */
  templated: number;
  /** Documents that went the stock way. */
  stock: number;
  /** Templates made. */
  templates: number;
}

/** A shape seen once, or its template (being) made. */
type Entry<T> = 'seen' | Promise<{ key: string; template: T } | undefined>;

export interface ShapeTemplates<T> {
  /** The template for the document's shape with the document's values, or undefined: go the stock way. */
  lookup(document: unknown): Promise<{ template: T; values: string[] } | undefined>;
  stats(): TemplateStats;
}

export function createShapeTemplates<Out, T>(kind: TemplateKind<Out, T>, { maxShapes = 500, buildOn = 2 }: ShapeTemplateOptions = {}): ShapeTemplates<T> {
  /** By shape key: the slots that must be pinned, found when its first template was made. */
  const pins = new LRUCache<string, ReadonlySet<number> | 'stock'>({ max: maxShapes });
  const templates = new LRUCache<string, Entry<T>>({ max: maxShapes });
  const stats = { templated: 0, stock: 0, templates: 0 };

  async function build(document: unknown, shape: Shape, pinned: ReadonlySet<number>): Promise<{ key: string; template: T } | { pin: Set<number> } | undefined> {
    const skeleton = skeletonOf(document, pinned);
    let out: Out;
    try {
      out = await kind.run(skeleton, true);
    } catch {
      // Safe mode refuses a placeholder where only some values are allowed (a literal in an `@vocab`
      // field becomes a relative IRI). Without it, such a slot is dropped, which names it.
      if (pinned.size) return undefined;
      try {
        const reader = new SlotReader(shape, pinned);
        kind.compile(await kind.run(skeleton, false), reader);
        const failed = reader.done();
        return failed.size ? { pin: failed } : undefined;
      } catch {
        return undefined;
      }
    }
    const reader = new SlotReader(shape, pinned);
    const template = kind.compile(out, reader);
    const failed = reader.done();
    if (failed.size) return { pin: new Set([...pinned, ...failed]) };
    return { key: pinnedKey(shape, pinned), template };
  }

  async function make(document: unknown, shape: Shape, pinned: ReadonlySet<number>): Promise<{ key: string; template: T } | undefined> {
    let result = await build(document, shape, pinned);
    if (result && 'pin' in result && pinned.size === 0) {
      // Which slots must be pinned is a property of the shape: remember it, and build again.
      pins.set(shape.key, result.pin);
      result = await build(document, shape, result.pin);
      if (result && !('pin' in result)) templates.set(result.key, Promise.resolve(result));
    }
    if (!result || 'pin' in result) {
      pins.set(shape.key, 'stock');
      return undefined;
    }
    stats.templates++;
    return result;
  }

  async function templateFor(document: unknown, shape: Shape): Promise<T | undefined> {
    const pinned = pins.get(shape.key);
    if (pinned === 'stock') return undefined;
    const key = pinnedKey(shape, pinned ?? NONE);
    let entry = templates.get(key);
    if (entry === undefined && buildOn === 2) {
      templates.set(key, 'seen');
      return undefined;
    }
    if (entry === undefined || entry === 'seen') {
      entry = make(document, shape, pinned ?? NONE);
      templates.set(key, entry);
    }
    const made = await entry;
    // Pins found while it was made change the key; such a template serves the pinned key only.
    return made?.key === key ? made.template : undefined;
  }

  return {
    async lookup(document) {
      const shape = shapeOf(document);
      const template = shape && (await templateFor(document, shape));
      if (!shape || !template) {
        stats.stock++;
        return undefined;
      }
      stats.templated++;
      return { template, values: shape.values };
    },
    stats: () => ({ ...stats }),
  };
}
