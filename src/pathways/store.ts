import { mayBeAwardedBy, type Catalog } from '../badge-classes/catalog.js';
import type { PathwayRepository } from '../db/repositories.js';
import { createDefinitionStore, type DefinitionEntry } from '../definitions/store.js';
import { AppError, type ErrorDetail } from '../errors/errors.js';
import { formatPath, parseOrThrow } from '../errors/zod.js';
import { unknownCompetences, type FrameworkCatalog } from '../frameworks/frameworks.js';
import { pathwaySchema, type Pathway } from './schema.js';

/** A pathway as the instance knows it. */
export interface PathwayEntry {
  pathway: Pathway;
  orgId: string;
  version: number;
  archived: boolean;
  updatedAt: string;
}

/** Learning pathways (definitions/store.ts), checked against the catalog and the frameworks. */
export interface PathwayStore {
  load(): Promise<void>;
  get(slug: string): PathwayEntry | undefined;
  /** Every pathway, archived ones included. */
  list(): PathwayEntry[];
  ownedBy(orgId: string): PathwayEntry[];
  /** The organisation's pathways still followed (not archived) that count a badge class as a step or end in it. */
  involving(orgId: string, badgeClass: string): PathwayEntry[];
  /** Checks a pathway against what the organisation may award and the frameworks known: `validation_failed` with the paths. */
  check(orgId: string, raw: unknown): Pathway;
  create(orgId: string, pathway: Pathway): Promise<PathwayEntry>;
  /** Replaces the definition; refused (`pathway_changed`) when `expectedVersion` is no longer current. */
  update(slug: string, pathway: Pathway, expectedVersion: number): Promise<PathwayEntry>;
  setArchived(slug: string, archived: boolean): Promise<void>;
  /** The pathway files of a folder, for an organisation; slugs taken are skipped, bad files reported. */
  importFolder(dir: string, orgId: string): Promise<{ imported: string[]; skipped: string[]; problems: Array<{ file: string; message: string }> }>;
}

export function createPathwayStore({
  repo,
  catalog,
  frameworks,
  now = () => new Date(),
  freshFor = 5_000,
}: {
  repo: PathwayRepository;
  catalog: Catalog & { ensure?(slug: string): Promise<unknown> };
  frameworks: FrameworkCatalog;
  now?: () => Date;
  freshFor?: number;
}): PathwayStore {
  const definitions = createDefinitionStore<Pathway>({
    repo,
    parse: (raw) => pathwaySchema.safeParse(raw).data,
    what: 'pathway',
    codes: { exists: 'pathway_exists', changed: 'pathway_changed' },
    now,
    freshFor,
  });
  // The same entry each time for the same stored one, so that callers may compare them.
  const entries = new WeakMap<DefinitionEntry<Pathway>, PathwayEntry>();
  const entryOf = (e: DefinitionEntry<Pathway>): PathwayEntry => {
    let entry = entries.get(e);
    if (!entry) {
      entry = { pathway: e.definition, orgId: e.orgId, version: e.version, archived: e.archived, updatedAt: e.updatedAt };
      entries.set(e, entry);
    }
    return entry;
  };
  const maybe = (e: DefinitionEntry<Pathway> | undefined) => e && entryOf(e);

  const store: PathwayStore = {
    load: definitions.load,
    get: (slug) => maybe(definitions.get(slug)),
    list: () => definitions.list().map(entryOf),
    ownedBy: (orgId) => definitions.ownedBy(orgId).map(entryOf),
    involving: (orgId, badgeClass) =>
      store.list().filter((e) => e.orgId === orgId && !e.archived && (e.pathway.capstone === badgeClass || e.pathway.steps.some((s) => s.badgeClasses.includes(badgeClass)))),

    check(orgId, raw) {
      const pathway = parseOrThrow(pathwaySchema, raw);
      const problems: ErrorDetail[] = [];
      const badge = (slug: string, path: string) => {
        const entry = catalog.get(slug);
        if (!entry) problems.push({ path, message: `"${path}" names no known badge class ("${slug}")` });
        else if (!mayBeAwardedBy(entry, orgId)) problems.push({ path, message: `badge class "${slug}" belongs to another organisation, which has not allowed yours to award it` });
      };
      pathway.steps.forEach((step, i) => step.badgeClasses.forEach((slug, j) => badge(slug, formatPath(['steps', i, 'badgeClasses', j]))));
      badge(pathway.capstone, 'capstone');
      problems.push(...unknownCompetences(frameworks, pathway.competences, 'competences'));
      if (problems.length) throw new AppError('validation_failed', problems[0]!.message, problems);
      return pathway;
    },

    create: async (orgId, pathway) => entryOf(await definitions.create(orgId, pathway)),
    update: async (slug, pathway, expectedVersion) => entryOf(await definitions.update(slug, pathway, expectedVersion)),
    setArchived: definitions.setArchived,
    importFolder: (dir, orgId) => definitions.importFolder(dir, orgId, (raw) => store.check(orgId, raw)),
  };
  return store;
}
