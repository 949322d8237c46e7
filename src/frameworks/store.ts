import type { DefinitionRepository } from '../db/repositories.js';
import { createDefinitionStore, type DefinitionEntry } from '../definitions/store.js';
import { AppError } from '../errors/errors.js';
import { parseOrThrow } from '../errors/zod.js';
import { createFrameworkCatalog, frameworkPath, type FrameworkCatalog } from './frameworks.js';
import { organisationFrameworkSchema, type Framework } from './schema.js';

/**
 * The competence frameworks the instance knows: the bundled ones (files in `frameworks/`) and those
 * organisations define (the CARER+ competence framework, I-CARE's intercultural competences…), kept
 * whole in the database (definitions/store.ts). Both answer as one catalog: alignments pick their
 * competences, pathways and self-assessments name them, /frameworks publishes them. An organisation's
 * competences have no URI of their own: each one's page on this instance is its URI. An archived
 * framework is no longer offered (list, search), but what already links to it still resolves.
 */
export interface Frameworks extends FrameworkCatalog {
  load(): Promise<void>;
  /** The organisation's own frameworks, archived ones included. */
  ownedBy(orgId: string): Array<DefinitionEntry<Framework>>;
  /** An organisation's framework (undefined for a bundled one). */
  entry(slug: string): DefinitionEntry<Framework> | undefined;
  /** Checks a framework an organisation defines: `validation_failed` with the paths, `framework_exists` for a bundled slug. */
  check(raw: unknown): Framework;
  create(orgId: string, framework: Framework): Promise<DefinitionEntry<Framework>>;
  update(slug: string, framework: Framework, expectedVersion: number): Promise<DefinitionEntry<Framework>>;
  setArchived(slug: string, archived: boolean): Promise<void>;
}

export function createFrameworks({
  bundled,
  repo,
  publicUrl,
  now = () => new Date(),
  freshFor = 5_000,
}: {
  bundled: Framework[];
  repo: DefinitionRepository;
  publicUrl: string;
  now?: () => Date;
  freshFor?: number;
}): Frameworks {
  const definitions = createDefinitionStore<Framework>({
    repo,
    // Stored with their `source` (check() gives one).
    parse: (raw) => {
      const framework = organisationFrameworkSchema.safeParse(raw).data;
      return framework && { ...framework, source: framework.source ?? `${publicUrl}${frameworkPath(framework.slug)}` };
    },
    what: 'framework',
    codes: { exists: 'framework_exists', changed: 'framework_changed' },
    now,
    freshFor,
  });
  const bundledSlugs = new Set(bundled.map((f) => f.slug));

  // One catalog of all of them, made again only when an organisation's framework changed.
  let built: { key: string; all: FrameworkCatalog; offered: Set<string> } | undefined;
  const current = () => {
    const entries = definitions.list().filter((e) => !bundledSlugs.has(e.definition.slug));
    const key = entries.map((e) => `${e.definition.slug}@${e.version}${e.archived ? '-' : ''}`).join(' ');
    if (built?.key !== key) {
      const all = createFrameworkCatalog([...bundled, ...entries.map((e) => e.definition)], publicUrl);
      built = { key, all, offered: new Set([...bundledSlugs, ...entries.filter((e) => !e.archived).map((e) => e.definition.slug)]) };
    }
    return built;
  };

  return {
    load: definitions.load,
    list: () => {
      const { all, offered } = current();
      return all.list().filter((f) => offered.has(f.slug));
    },
    get: (slug) => current().all.get(slug),
    find: (reference) => current().all.find(reference),
    uriOf: (framework, competence) => current().all.uriOf(framework, competence),
    alignmentFor: (reference) => current().all.alignmentFor(reference),
    byUri: (uri) => current().all.byUri(uri),
    search(query, lang, options = {}) {
      const { all, offered } = current();
      // Asked for more, then filtered: an archived framework's competences are not offered.
      return all.search(query, lang, { ...options, limit: (options.limit ?? 20) * 2 }).filter((f) => offered.has(f.framework.slug)).slice(0, options.limit ?? 20);
    },
    ownedBy: (orgId) => definitions.ownedBy(orgId),
    entry: (slug) => (bundledSlugs.has(slug) ? undefined : definitions.get(slug)),
    check(raw) {
      const framework = parseOrThrow(organisationFrameworkSchema, raw);
      if (bundledSlugs.has(framework.slug)) throw new AppError('framework_exists', `"${framework.slug}" is a framework the instance already knows (see /frameworks)`, [{ path: 'slug', message: 'taken' }]);
      // Without an address of its own, it is published here.
      return { ...framework, source: framework.source ?? `${publicUrl}${frameworkPath(framework.slug)}` };
    },
    create: (orgId, framework) => definitions.create(orgId, framework),
    update: (slug, framework, expectedVersion) => definitions.update(slug, framework, expectedVersion),
    setArchived: definitions.setArchived,
  };
}
