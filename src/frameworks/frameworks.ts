import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alignment, Language } from '../badge-classes/schema.js';
import { FRAMEWORKS_DIR } from '../config/paths.js';
import { frameworkSchema, type Competence, type CompetenceReference, type Framework } from './schema.js';

/** A competence with the framework it belongs to, and the URI alignments link to. */
export interface FoundCompetence {
  framework: Framework;
  competence: Competence;
  uri: string;
}

/** The competence frameworks the instance knows. */
export interface FrameworkCatalog {
  list(): Framework[];
  get(slug: string): Framework | undefined;
  find(reference: CompetenceReference): FoundCompetence | undefined;
  /** The framework's own URI for a competence (ESCO's), or its page on this instance. */
  uriOf(framework: Framework, competence: Competence): string;
  /** The OB 3.0 alignment (its texts in every language the framework has) a reference stands for. */
  alignmentFor(reference: CompetenceReference): Alignment | undefined;
  /** The competence an alignment links to (by its `targetUrl`), when it is one of these frameworks'. */
  byUri(uri: string): FoundCompetence | undefined;
  /** Competences whose name (in `lang` or English) or code contains every word of `query`, best first. */
  search(query: string, lang: Language, options?: { framework?: string; limit?: number }): FoundCompetence[];
}

/** The references of a list no framework knows, as problems at `path[i]`. */
export function unknownCompetences(frameworks: FrameworkCatalog, references: CompetenceReference[], path: string): Array<{ path: string; message: string }> {
  return references.flatMap((reference, i) =>
    frameworks.find(reference)
      ? []
      : [{ path: `${path}[${i}]`, message: frameworks.get(reference.framework) ? `the framework "${reference.framework}" has no competence "${reference.code}"` : `no framework "${reference.framework}" is known here (see /frameworks)` }],
  );
}

export const frameworkPath = (slug: string, code?: string): string => `/frameworks/${encodeURIComponent(slug)}${code === undefined ? '' : `/${encodeURIComponent(code)}`}`;

/** Letters without accents, lower case: "Sąveika" finds "saveika". */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function createFrameworkCatalog(frameworks: Framework[], publicUrl: string): FrameworkCatalog {
  const bySlug = new Map(frameworks.map((f) => [f.slug, f]));
  const uriOf = (framework: Framework, competence: Competence) => competence.uri ?? `${publicUrl}${frameworkPath(framework.slug, competence.code)}`;
  const find = ({ framework: slug, code }: CompetenceReference): FoundCompetence | undefined => {
    const framework = bySlug.get(slug);
    const competence = framework?.competences.find((c) => c.code === code);
    return framework && competence ? { framework, competence, uri: uriOf(framework, competence) } : undefined;
  };
  // Each competence's searchable text per language, folded once.
  const index = frameworks.flatMap((framework) =>
    framework.competences.map((competence) => ({
      found: { framework, competence, uri: uriOf(framework, competence) },
      code: fold(competence.code),
      text: (lang: Language) => fold(`${competence.name[lang] ?? ''} ${competence.name.en} ${competence.code}`),
    })),
  );

  const byUri = new Map(index.map((e) => [e.found.uri, e.found]));

  return {
    list: () => frameworks,
    get: (slug) => bySlug.get(slug),
    find,
    uriOf,
    byUri: (uri) => byUri.get(uri),
    alignmentFor(reference) {
      const found = find(reference);
      if (!found) return undefined;
      const { framework, competence, uri } = found;
      return {
        targetFramework: framework.shortName ?? framework.name.en,
        targetCode: competence.code,
        targetName: competence.name,
        ...(competence.description ? { targetDescription: competence.description } : {}),
        targetUrl: uri,
        targetType: competence.kind === 'occupation' ? 'ext:Occupation' : 'ceasn:Competency',
      };
    },
    search(query, lang, { framework, limit = 20 } = {}) {
      const words = fold(query).split(/\s+/).filter(Boolean);
      if (!words.length) return [];
      return index
        .filter((e) => framework === undefined || e.found.framework.slug === framework)
        .map((e) => {
          const text = e.text(lang);
          if (!words.every((w) => text.includes(w))) return undefined;
          // An exact code first, then names that begin with the query, then the rest in framework order.
          const rank = e.code === words.join(' ') ? 0 : text.startsWith(words[0]!) ? 1 : 2;
          return { found: e.found, rank };
        })
        .filter((e): e is { found: FoundCompetence; rank: number } => e !== undefined)
        .sort((a, b) => a.rank - b.rank)
        .slice(0, limit)
        .map((e) => e.found);
    },
  };
}

/**
 * Reads every `*.json` of `dir` as a framework. The bundled ones must all be valid: a problem is
 * thrown with the file and field, as a bundled JSON-LD context that failed to parse would be.
 */
export function readFrameworks(dir: string): Framework[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = frameworkSchema.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`frameworks/${file}: "${issue.path.join('.')}" ${issue.message}`);
      }
      return parsed.data;
    });
}

/** The bundled frameworks, with this instance's address for the competences that have no URI of their own. */
export const bundledFrameworks = (publicUrl: string): FrameworkCatalog => createFrameworkCatalog(readFrameworks(FRAMEWORKS_DIR), publicUrl);
