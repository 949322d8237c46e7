import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mayBeAwardedBy, type Catalog } from '../badge-classes/catalog.js';
import { isStorageError } from '../db/errors.js';
import type { PathwayRecord, PathwayRepository } from '../db/repositories.js';
import { AppError, type ErrorDetail } from '../errors/errors.js';
import { formatPath, parseOrThrow } from '../errors/zod.js';
import type { FrameworkCatalog } from '../frameworks/frameworks.js';
import { pathwaySchema, type Pathway } from './schema.js';

/** A pathway as the instance knows it. */
export interface PathwayEntry {
  pathway: Pathway;
  orgId: string;
  version: number;
  archived: boolean;
  updatedAt: string;
}

/**
 * Learning pathways, kept in the database and, being few, in memory too: a change made here shows at
 * once, one made by another instance within `freshFor` ms (as the badge-class store does).
 */
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
  let entries = new Map<string, PathwayEntry>();
  let loadedChange: string | null = null;
  let checkedAt = 0;
  let checking: Promise<void> | undefined;

  function toEntry(record: PathwayRecord): PathwayEntry | undefined {
    const parsed = pathwaySchema.safeParse(record.definition);
    // A stored definition that no longer parses (written by a later version) is left out, not fatal.
    if (!parsed.success) return undefined;
    return { pathway: parsed.data, orgId: record.orgId, version: record.version, archived: record.archivedAt !== null, updatedAt: record.updatedAt };
  }

  async function load(): Promise<void> {
    const [records, change] = await Promise.all([repo.list(), repo.lastChange()]);
    const next = new Map<string, PathwayEntry>();
    for (const record of records) {
      const entry = toEntry(record);
      if (entry) next.set(record.slug, entry);
    }
    entries = next;
    loadedChange = change;
    checkedAt = now().getTime();
  }

  function freshen(): void {
    const at = now().getTime();
    if (at - checkedAt < freshFor || checking) return;
    checkedAt = at;
    checking = repo
      .lastChange()
      .then((change) => (change !== loadedChange ? load() : undefined))
      .catch(() => undefined)
      .finally(() => (checking = undefined));
  }

  const stamp = () => now().toISOString();
  const definitionOf = (pathway: Pathway): Record<string, unknown> => {
    const { $schema: _schema, ...definition } = pathway;
    return definition;
  };

  const store: PathwayStore = {
    load,
    get(slug) {
      freshen();
      return entries.get(slug);
    },
    list() {
      freshen();
      return [...entries.values()];
    },
    ownedBy: (orgId) => store.list().filter((e) => e.orgId === orgId),
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
      pathway.competences.forEach((reference, i) => {
        if (!frameworks.find(reference)) {
          const path = formatPath(['competences', i]);
          problems.push({ path, message: frameworks.get(reference.framework) ? `the framework "${reference.framework}" has no competence "${reference.code}"` : `no framework "${reference.framework}" is known here (see /frameworks)` });
        }
      });
      if (problems.length) throw new AppError('validation_failed', problems[0]!.message, problems);
      return pathway;
    },

    async create(orgId, pathway) {
      const at = stamp();
      try {
        await repo.insert({ slug: pathway.slug, orgId, version: 1, definition: definitionOf(pathway), createdAt: at, updatedAt: at, archivedAt: null });
      } catch (e) {
        if (isStorageError(e, 'conflict')) throw new AppError('pathway_exists', `a pathway with the slug "${pathway.slug}" already exists`, [{ path: 'slug', message: 'taken' }]);
        throw e;
      }
      await load();
      return entries.get(pathway.slug)!;
    },

    async update(slug, pathway, expectedVersion) {
      if (pathway.slug !== slug) throw new AppError('validation_failed', 'a pathway keeps its slug', [{ path: 'slug', message: `must stay "${slug}"` }]);
      try {
        await repo.update({ slug, version: expectedVersion + 1, definition: definitionOf(pathway), updatedAt: stamp() });
      } catch (e) {
        if (isStorageError(e, 'conflict')) throw new AppError('pathway_changed', 'someone changed this pathway meanwhile: open it again to see their change');
        throw e;
      }
      await load();
      return entries.get(slug)!;
    },

    async setArchived(slug, archived) {
      await repo.setArchived(slug, archived ? stamp() : null, stamp());
      await load();
    },

    async importFolder(dir, orgId) {
      const imported: string[] = [];
      const skipped: string[] = [];
      const problems: Array<{ file: string; message: string }> = [];
      let files: string[];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
      } catch {
        return { imported, skipped, problems };
      }
      await load();
      for (const file of files) {
        let pathway: Pathway;
        try {
          pathway = store.check(orgId, JSON.parse(readFileSync(join(dir, file), 'utf8')));
        } catch (e) {
          const details = e instanceof AppError ? e.details : undefined;
          problems.push({ file, message: details?.length ? details.map((d) => `${d.path}: ${d.message}`).join('; ') : e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (entries.has(pathway.slug)) {
          skipped.push(pathway.slug);
          continue;
        }
        try {
          await store.create(orgId, pathway);
          imported.push(pathway.slug);
        } catch (e) {
          // Another instance importing at the same moment.
          if (!(e instanceof AppError && e.code === 'pathway_exists')) throw e;
          skipped.push(pathway.slug);
        }
      }
      return { imported, skipped, problems };
    },
  };
  return store;
}
