import type { FrameworkCatalog } from './frameworks.js';

export interface ReferenceProblem {
  path: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A badge class as written may align to a competence by naming it: `{ "framework": "digcomp-2.2",
 * "code": "2.1" }`. Each such alignment is replaced by the one the framework gives (its names and
 * description in every language it has, its URI, its type), so what is stored and signed is the full
 * OB 3.0 alignment, fixed at that version of the class. A name the instance does not know is a problem
 * at that path; anything else is left for the badge-class schema to judge.
 */
export function expandCompetenceReferences(raw: unknown, frameworks: FrameworkCatalog): { value: unknown; problems: ReferenceProblem[] } {
  if (!isObject(raw) || !Array.isArray(raw.alignments)) return { value: raw, problems: [] };
  const problems: ReferenceProblem[] = [];
  const alignments = raw.alignments.map((item: unknown, i) => {
    if (!isObject(item) || !('framework' in item)) return item;
    const extra = Object.keys(item).find((k) => k !== 'framework' && k !== 'code');
    if (typeof item.framework !== 'string' || typeof item.code !== 'string' || extra !== undefined) {
      problems.push({ path: `alignments.${i}`, message: 'a competence is named by "framework" and "code" (both text), and nothing else' });
      return item;
    }
    const alignment = frameworks.alignmentFor({ framework: item.framework, code: item.code });
    if (alignment) return alignment;
    const message = frameworks.get(item.framework)
      ? `the framework "${item.framework}" has no competence "${item.code}"`
      : `no framework "${item.framework}" is known here (see /frameworks)`;
    problems.push({ path: `alignments.${i}`, message });
    return item;
  });
  return { value: { ...raw, alignments }, problems };
}
