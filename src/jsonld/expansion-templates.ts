import jsonld from 'jsonld';
import { createDocumentLoader } from './document-loader.js';
import { createShapeTemplates, type ShapeTemplateOptions, type SlotReader, type TemplateStats } from './shape-templates.js';

/**
 * JSON-LD expansion (safe mode, bundled contexts, no base), once per document shape
 * (`shape-templates.ts`): each document's expansion is the template's with its values put back
 * where `@id` and `@value` held the placeholders. The verifier reads what a credential states from
 * it (`verify/signed-view.ts`).
 */
export type Expanded = Array<Record<string, unknown>>;

interface ExpansionTemplate {
  expanded: Expanded;
  /** Where each slot's value goes: a path of keys and indexes, and the slot. */
  slots: Array<{ path: Array<string | number>; value: number }>;
}

export interface TemplateExpander {
  expand(document: unknown): Promise<Expanded>;
  stats(): TemplateStats;
}

function compile(expanded: Expanded, reader: SlotReader): ExpansionTemplate {
  const slots: ExpansionTemplate['slots'] = [];
  const walk = (value: unknown, path: Array<string | number>, key: string | number | undefined) => {
    if (typeof value === 'string') {
      const slot = key === '@id' || key === '@value' ? reader.slot(value) : (reader.fail(value), undefined);
      if (slot !== undefined) slots.push({ path, value: slot });
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], key));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        reader.fail(k);
        walk(v, [...path, k], k);
      }
    }
  };
  walk(expanded, [], undefined);
  return { expanded, slots };
}

function fill({ expanded, slots }: ExpansionTemplate, values: string[]): Expanded {
  const out = structuredClone(expanded);
  for (const { path, value } of slots) {
    let parent: Record<string | number, unknown> = out as unknown as Record<number, unknown>;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    parent[path.at(-1)!] = values[value];
  }
  return out;
}

export function createTemplateExpander(options: ShapeTemplateOptions = {}): TemplateExpander {
  const documentLoader = createDocumentLoader();
  const stock = (document: unknown, safe = true): Promise<Expanded> => jsonld.expand(document, { documentLoader, safe, base: null });
  const templates = createShapeTemplates<Expanded, ExpansionTemplate>({ run: stock, compile }, options);
  return {
    async expand(document) {
      const found = await templates.lookup(document);
      return found ? fill(found.template, found.values) : stock(document);
    },
    stats: templates.stats,
  };
}
