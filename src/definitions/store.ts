import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isStorageError } from '../db/errors.js';
import type { DefinitionRecord, DefinitionRepository } from '../db/repositories.js';
import { AppError, type ErrorCode } from '../errors/errors.js';
import { createCachedTable } from './cached-table.js';

/** A definition as the instance knows it. */
export interface DefinitionEntry<T> {
  definition: T;
  orgId: string;
  version: number;
  archived: boolean;
  updatedAt: string;
}

/** Definitions an organisation keeps whole (learning pathways, questionnaires), in the database and, being few, in memory too (cached-table.ts). */
export interface DefinitionStore<T extends { slug: string }> {
  load(): Promise<void>;
  get(slug: string): DefinitionEntry<T> | undefined;
  /** Every one, archived ones included. */
  list(): Array<DefinitionEntry<T>>;
  ownedBy(orgId: string): Array<DefinitionEntry<T>>;
  create(orgId: string, definition: T): Promise<DefinitionEntry<T>>;
  /** Replaces the definition; refused (the `changed` code) when `expectedVersion` is no longer current. */
  update(slug: string, definition: T, expectedVersion: number): Promise<DefinitionEntry<T>>;
  setArchived(slug: string, archived: boolean): Promise<void>;
  /** The files of a folder, checked by `check`, for an organisation; slugs taken are skipped, bad files reported. */
  importFolder(dir: string, orgId: string, check: (raw: unknown) => T): Promise<{ imported: string[]; skipped: string[]; problems: Array<{ file: string; message: string }> }>;
}

export interface DefinitionStoreOptions<T> {
  repo: DefinitionRepository;
  /** A stored definition, or undefined when it no longer parses (written by a later version): left out, not fatal. */
  parse: (raw: unknown) => T | undefined;
  /** What it is called in messages ("pathway"), and the codes of a taken slug and of a stale change. */
  what: string;
  codes: { exists: ErrorCode; changed: ErrorCode };
  now?: () => Date;
  freshFor?: number;
}

export function createDefinitionStore<T extends { slug: string; $schema?: string | undefined }>({ repo, parse, what, codes, now = () => new Date(), freshFor = 5_000 }: DefinitionStoreOptions<T>): DefinitionStore<T> {
  const table = createCachedTable<DefinitionRecord, DefinitionEntry<T>>({
    list: () => repo.list(),
    lastChange: () => repo.lastChange(),
    toEntry(record) {
      const definition = parse(record.definition);
      return definition && { definition, orgId: record.orgId, version: record.version, archived: record.archivedAt !== null, updatedAt: record.updatedAt };
    },
    keyOf: (record) => record.slug,
    now,
    freshFor,
  });
  const load = table.load;

  const stamp = () => now().toISOString();
  const stored = (definition: T): Record<string, unknown> => {
    const { $schema: _schema, ...rest } = definition;
    return rest;
  };

  const store: DefinitionStore<T> = {
    load,
    get: (slug) => table.current().get(slug),
    list: () => [...table.current().values()],
    ownedBy: (orgId) => store.list().filter((e) => e.orgId === orgId),

    async create(orgId, definition) {
      const at = stamp();
      try {
        await repo.insert({ slug: definition.slug, orgId, version: 1, definition: stored(definition), createdAt: at, updatedAt: at, archivedAt: null });
      } catch (e) {
        if (isStorageError(e, 'conflict')) throw new AppError(codes.exists, `a ${what} with the slug "${definition.slug}" already exists`, [{ path: 'slug', message: 'taken' }]);
        throw e;
      }
      await load();
      return table.current().get(definition.slug)!;
    },

    async update(slug, definition, expectedVersion) {
      if (definition.slug !== slug) throw new AppError('validation_failed', `a ${what} keeps its slug`, [{ path: 'slug', message: `must stay "${slug}"` }]);
      try {
        await repo.update({ slug, version: expectedVersion + 1, definition: stored(definition), updatedAt: stamp() });
      } catch (e) {
        if (isStorageError(e, 'conflict')) throw new AppError(codes.changed, `someone changed this ${what} meanwhile: open it again to see their change`);
        throw e;
      }
      await load();
      return table.current().get(slug)!;
    },

    async setArchived(slug, archived) {
      await repo.setArchived(slug, archived ? stamp() : null, stamp());
      await load();
    },

    async importFolder(dir, orgId, check) {
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
        let definition: T;
        try {
          definition = check(JSON.parse(readFileSync(join(dir, file), 'utf8')));
        } catch (e) {
          const details = e instanceof AppError ? e.details : undefined;
          problems.push({ file, message: details?.length ? details.map((d) => `${d.path}: ${d.message}`).join('; ') : e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (table.current().has(definition.slug)) {
          skipped.push(definition.slug);
          continue;
        }
        try {
          await store.create(orgId, definition);
          imported.push(definition.slug);
        } catch (e) {
          // Another instance importing at the same moment.
          if (!(e instanceof AppError && e.code === codes.exists)) throw e;
          skipped.push(definition.slug);
        }
      }
      return { imported, skipped, problems };
    },
  };
  return store;
}
