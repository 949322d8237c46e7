import type { BadgeClassRecord, BadgeClassRepository } from '../db/repositories.js';
import { isStorageError } from '../db/errors.js';
import { AppError } from '../errors/errors.js';
import { badgeClassProblem, languagesOf, mayBeAwardedBy, readBadgeClassFiles, type BadgeImageFile, type Catalog, type CatalogEntry } from './catalog.js';
import type { FrameworkCatalog } from '../frameworks/frameworks.js';
import type { BadgeClass } from './schema.js';
import { createCachedTable } from '../definitions/cached-table.js';

/**
 * Badge classes as organisations define them, kept in the database: each belongs to an organisation,
 * each change makes a new version (awarded credentials keep theirs: they embed it), and a class can
 * be archived (no longer awarded) or opened to other organisations (consortium partners).
 *
 * The whole catalog is small, so it is kept in memory for the synchronous `get`/`list` that issuance
 * and pages use. A change made here shows at once; one made by another instance within `freshFor`
 * ms: past that, the next read looks at the latest change time and reloads if it moved.
 */
export interface BadgeClassStore extends Catalog {
  /** Loads the catalog (at start-up, and after a change elsewhere). */
  load(): Promise<void>;
  /** The badge class, reloading once when it is not known here (made by another instance). */
  ensure(slug: string): Promise<CatalogEntry | undefined>;
  /** The classes an organisation may award: its own and those opened to it, not archived. */
  awardableBy(orgId: string): CatalogEntry[];
  /** The classes an organisation owns, archived ones included. */
  ownedBy(orgId: string): CatalogEntry[];
  create(orgId: string, badgeClass: BadgeClass, options: { image?: BadgeImageFile | undefined; by: string | null }): Promise<CatalogEntry>;
  /** A new version; refused when `expectedVersion` is not the current one (someone changed it meanwhile). */
  update(slug: string, badgeClass: BadgeClass, options: { image?: BadgeImageFile | null | undefined; expectedVersion: number; by: string | null }): Promise<CatalogEntry>;
  setArchived(slug: string, archived: boolean): Promise<void>;
  setAwarders(slug: string, orgIds: string[]): Promise<void>;
  setShared(slug: string, shared: boolean): Promise<void>;
  versions: BadgeClassRepository['versions'];
  /**
   * The files of a folder, imported for an organisation and shared with every organisation of the
   * instance: classes whose slug is taken are skipped, bad files reported. The starter catalog is
   * imported so at first start.
   */
  importFolder(dir: string, orgId: string): Promise<{ imported: string[]; skipped: string[]; problems: Array<{ file: string; message: string }> }>;
}

export function createBadgeClassStore({
  repo,
  now = () => new Date(),
  freshFor = 5_000,
  frameworks,
}: {
  repo: BadgeClassRepository;
  now?: () => Date;
  freshFor?: number;
  /** For files whose alignments name a known framework's competence. */
  frameworks?: FrameworkCatalog;
}): BadgeClassStore {
  function toEntry(record: BadgeClassRecord): CatalogEntry | undefined {
    const parsed = badgeClassProblem(record.definition);
    // A stored definition that no longer parses (written by a later version) is left out, not fatal.
    if ('problem' in parsed) return undefined;
    const { badgeClass } = parsed;
    return {
      badgeClass,
      languages: languagesOf(badgeClass),
      orgId: record.orgId,
      version: record.version,
      archived: record.archivedAt !== null,
      awarders: record.awarders,
      shared: record.shared,
      ...(record.image ? { image: { contentType: record.image.type === 'image/png' ? 'image/png' : 'image/svg+xml', data: record.image.data } } : {}),
    };
  }

  const table = createCachedTable<BadgeClassRecord, CatalogEntry>({ list: () => repo.listCurrent(), lastChange: () => repo.lastChange(), toEntry, keyOf: (r) => r.slug, now, freshFor });
  const load = table.load;

  const stamp = () => now().toISOString();
  const imageRecord = (image: BadgeImageFile | undefined | null) => (image ? { type: image.contentType, data: image.data } : null);

  const store: BadgeClassStore = {
    load,
    get: (slug) => table.current().get(slug),
    list: () => [...table.current().values()],
    async ensure(slug) {
      if (!table.current().has(slug)) await load();
      return table.current().get(slug);
    },
    awardableBy: (orgId) => store.list().filter((e) => !e.archived && mayBeAwardedBy(e, orgId)),
    ownedBy: (orgId) => store.list().filter((e) => e.orgId === orgId),

    async create(orgId, badgeClass, { image, by }) {
      const at = stamp();
      try {
        await repo.insert({ slug: badgeClass.slug, orgId, version: 1, definition: badgeClass as unknown as Record<string, unknown>, image: imageRecord(image), archivedAt: null, shared: false, createdAt: at, updatedAt: at }, by);
      } catch (e) {
        if (isStorageError(e, 'conflict')) throw new AppError('badge_class_exists', `a badge class with the slug "${badgeClass.slug}" already exists`, [{ path: 'slug', message: 'taken' }]);
        throw e;
      }
      await load();
      return table.current().get(badgeClass.slug)!;
    },

    async update(slug, badgeClass, { image, expectedVersion, by }) {
      const current = await store.ensure(slug);
      if (!current) throw new AppError('badge_class_not_found', `no badge class "${slug}"`);
      if (badgeClass.slug !== slug) throw new AppError('validation_failed', 'a badge class keeps its slug', [{ path: 'slug', message: `must stay "${slug}"` }]);
      // `undefined` keeps the current image, `null` removes it (the built-in design takes over).
      const nextImage = image === undefined ? current.image : image;
      try {
        await repo.addVersion(
          { slug, version: expectedVersion + 1, definition: badgeClass as unknown as Record<string, unknown>, image: imageRecord(nextImage), createdAt: stamp(), createdBy: by },
          expectedVersion,
        );
      } catch (e) {
        if (isStorageError(e, 'conflict')) throw new AppError('badge_class_changed', 'someone changed this badge class meanwhile: open it again to see their change');
        throw e;
      }
      await load();
      return table.current().get(slug)!;
    },

    async setArchived(slug, archived) {
      await repo.setArchived(slug, archived ? stamp() : null, stamp());
      await load();
    },
    async setShared(slug, shared) {
      await repo.setShared(slug, shared, stamp());
      await load();
    },
    async setAwarders(slug, orgIds) {
      await repo.setAwarders(slug, [...new Set(orgIds)], stamp());
      await load();
    },
    versions: (slug) => repo.versions(slug),

    async importFolder(dir, orgId) {
      const { classes, problems } = readBadgeClassFiles(dir, frameworks);
      const imported: string[] = [];
      const skipped: string[] = [];
      await load();
      for (const { badgeClass, image } of classes) {
        if (table.current().has(badgeClass.slug)) {
          skipped.push(badgeClass.slug);
          continue;
        }
        const at = stamp();
        try {
          // An imported catalog is shared: every organisation of the instance may award it.
          await repo.insert({ slug: badgeClass.slug, orgId, version: 1, definition: badgeClass as unknown as Record<string, unknown>, image: imageRecord(image), archivedAt: null, shared: true, createdAt: at, updatedAt: at }, 'import');
          imported.push(badgeClass.slug);
        } catch (e) {
          // Another instance importing at the same moment.
          if (!isStorageError(e, 'conflict')) throw e;
          skipped.push(badgeClass.slug);
        }
      }
      await load();
      return { imported, skipped, problems };
    },
  };
  return store;
}
