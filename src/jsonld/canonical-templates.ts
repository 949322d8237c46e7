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
  /** Pairs of quads that differ only where slots are, so equal values would make them one quad. */
  mayMerge: Array<[number, number]>;
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
  const merged = new Set<number>();
  for (const [a, b] of mayMerge) if (!merged.has(a) && sameQuad(out[a]!, out[b]!)) merged.add(b);
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

const sameKind = (a: Term, b: Term): boolean => a.termType === b.termType && a.datatype?.value === b.datatype?.value && a.language === b.language;
const sameTerm = (a: Term, b: Term): boolean => sameKind(a, b) && a.value === b.value;
const sameQuad = (a: Quad, b: Quad): boolean => POSITIONS.every((p) => sameTerm(a[p], b[p]));

/** Quad pairs equal wherever neither has a slot: filling the slots with equal values would merge them. */
function mergeCandidates(quads: Quad[], slots: Slot[]): Array<[number, number]> {
  const slotted = new Set(slots.map((s) => `${s.quad} ${s.position}`));
  const isSlot = (q: number, p: Position) => slotted.has(`${q} ${p}`);
  const slottedQuads = [...new Set(slots.map((s) => s.quad))];
  const pairs: Array<[number, number]> = [];
  for (const a of slottedQuads) {
    for (let b = 0; b < quads.length; b++) {
      if (b === a || (b < a && slottedQuads.includes(b))) continue;
      const compatible = POSITIONS.every((p) => (isSlot(a, p) || isSlot(b, p) ? sameKind(quads[a]![p], quads[b]![p]) : sameTerm(quads[a]![p], quads[b]![p])));
      if (compatible) pairs.push(a < b ? [a, b] : [b, a]);
    }
  }
  return pairs;
}
