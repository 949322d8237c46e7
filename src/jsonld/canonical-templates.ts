import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';
import type { Quad, Term } from 'rdf-canonize';
import { createDocumentLoader } from './document-loader.js';
import { createShapeTemplates, type ShapeTemplateOptions, type SlotReader, type TemplateStats } from './shape-templates.js';

/**
 * RDFC-1.0 canonicalisation (the `canonize` of the `-rdfc-` cryptosuites) without JSON-LD to RDF per
 * document: the quads are made once per document shape (`shape-templates.ts`), and each document's
 * dataset is the template's quads with its values put back; rdf-canonize canonicalises that dataset
 * as in the stock path. RDF datasets are sets: jsonld.js merges equal values of one node, so quads
 * that become equal once the values are put back are merged too.
 */
export type Canonize = (input: unknown, options?: Record<string, unknown>) => Promise<string>;

/** The options the cryptosuites pass; any other makes the stock path run. */
const STANDARD_OPTIONS: Record<string, (v: unknown) => boolean> = {
  documentLoader: () => true,
  base: (v) => v === null,
  safe: (v) => v === true,
  skipExpansion: (v) => v === false || v === undefined,
  // ecdsa-rdfc-2019 hashes blank nodes with SHA-384 for P-384 keys; it goes to rdf-canonize as given.
  messageDigestAlgorithm: (v) => v === 'SHA-256' || v === 'SHA-384',
};

const POSITIONS = ['subject', 'predicate', 'object', 'graph'] as const;
type Position = (typeof POSITIONS)[number];

interface Slot {
  quad: number;
  position: 'subject' | 'object' | 'graph';
  value: number;
}

interface QuadTemplate {
  quads: Quad[];
  slots: Slot[];
  /** Quads that may equal another once the slots are filled (ascending): only these are compared then. */
  mayMerge: number[];
}

export interface TemplateCanonizer {
  canonize: Canonize;
  stats(): TemplateStats;
}

export interface TemplateOptions extends ShapeTemplateOptions {
  /** The stock `canonize` of the cryptosuite, used whenever a document does not go by template. */
  stock: Canonize;
}

function compile(quads: Quad[], reader: SlotReader): QuadTemplate {
  const slots: Slot[] = [];
  quads.forEach((quad, q) => {
    for (const position of ['subject', 'object', 'graph'] as const) {
      const term = quad[position];
      const value = term.termType === 'NamedNode' || term.termType === 'Literal' ? reader.slot(term.value) : (reader.fail(term.value), undefined);
      if (value !== undefined) slots.push({ quad: q, position, value });
    }
    reader.fail(quad.predicate.value);
    reader.fail(quad.object.datatype?.value);
    reader.fail(quad.object.language);
  });
  return { quads, slots, mayMerge: mergeCandidates(quads, slots) };
}

function datasetOf({ quads, slots, mayMerge }: QuadTemplate, values: string[]): Quad[] {
  const out = quads.slice();
  for (const { quad: q, position, value } of slots) {
    const source = out[q] === quads[q] ? { ...quads[q]! } : out[q]!;
    source[position] = { ...source[position], value: values[value]! };
    out[q] = source;
  }
  if (mayMerge.length === 0) return out;
  // jsonld.js would have made equal quads one: the first stays.
  const seen = new Set<string>();
  const merged = new Set<number>();
  for (const q of mayMerge) {
    const key = quadKey(out[q]!);
    if (seen.has(key)) merged.add(q);
    else seen.add(key);
  }
  return merged.size ? out.filter((_, q) => !merged.has(q)) : out;
}

export function createTemplateCanonizer({ stock, ...options }: TemplateOptions): TemplateCanonizer {
  const documentLoader = createDocumentLoader();
  const templates = createShapeTemplates<Quad[], QuadTemplate>(
    {
      // The stock `canonize`'s own options for the JSON-LD step.
      run: (skeleton, safe) => jsonld.toRDF(skeleton, { algorithm: 'RDFC-1.0', base: null, safe, rdfDirection: 'i18n-datatype', documentLoader, produceGeneralizedRdf: false }),
      compile,
    },
    options,
  );
  const canonize: Canonize = async (input, options = {}) => {
    const standard = Object.entries(options).every(([k, v]) => STANDARD_OPTIONS[k]?.(v) ?? false);
    const found = await templates.lookup(standard ? input : undefined);
    if (!found) return stock(input, options);
    const digest = options.messageDigestAlgorithm as 'SHA-256' | 'SHA-384' | undefined;
    return rdfCanonize.canonize(datasetOf(found.template, found.values), { algorithm: 'RDFC-1.0', format: 'application/n-quads', ...(digest ? { messageDigestAlgorithm: digest } : {}) });
  };
  return { canonize, stats: templates.stats };
}

/** A cryptosuite object as the @digitalbazaar `-rdfc-` suites export it. */
export interface RdfcCryptosuite {
  name: string;
  canonize: Canonize;
}

/** The same cryptosuite, canonicalising by template where it can (its own `canonize` otherwise). */
export function templatedCryptosuite<T extends RdfcCryptosuite>(cryptosuite: T, options: ShapeTemplateOptions = {}): T & { templates: TemplateCanonizer } {
  const templates = createTemplateCanonizer({ stock: (input, o) => cryptosuite.canonize(input, o), ...options });
  return { ...cryptosuite, canonize: templates.canonize, templates };
}

const kindOf = (t: Term): string => JSON.stringify([t.termType, t.datatype?.value ?? null, t.language ?? null]);
/** Length-prefixed parts after each term type (a fixed word): unambiguous whatever the values hold. */
const part = (text: string | undefined): string => (text === undefined ? '-' : `${text.length}:${text}`);
const quadKey = (q: Quad): string => POSITIONS.map((p) => q[p].termType + part(q[p].datatype?.value) + part(q[p].language) + part(q[p].value)).join('');

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The quads that filling the slots could make equal to another. Two quads can become one only if
 * every position holds the same kind of term (a slot keeps its kind), and the same term wherever
 * neither has a slot. Grouping by kinds, then by the terms at the positions where no quad of the
 * group has a slot, finds them in linear time; a group may hold some that never meet, which costs
 * only a comparison after filling. (Comparing every pair was quadratic: minutes on a document
 * near the verifier's caps.)
 */
function mergeCandidates(quads: Quad[], slots: Slot[]): number[] {
  const slottedAt = new Map<number, Set<Position>>();
  for (const { quad, position } of slots) {
    const at = slottedAt.get(quad) ?? new Set<Position>();
    at.add(position);
    slottedAt.set(quad, at);
  }
  const out: number[] = [];
  const byKinds = groupBy(
    quads.map((_, q) => q),
    (q) => POSITIONS.map((p) => kindOf(quads[q]![p])).join(','),
  );
  for (const group of byKinds.values()) {
    if (group.length < 2 || !group.some((q) => slottedAt.has(q))) continue;
    const fixed = POSITIONS.filter((p) => !group.some((q) => slottedAt.get(q)?.has(p)));
    for (const same of groupBy(group, (q) => JSON.stringify(fixed.map((p) => quads[q]![p].value))).values()) {
      if (same.length > 1 && same.some((q) => slottedAt.has(q))) out.push(...same);
    }
  }
  return out.sort((a, b) => a - b);
}
