/**
 * What a backend's constraint errors mean to the domains, whatever the driver calls them: a row that
 * already exists (`conflict`: a unique key or primary key) or one that refers to nothing
 * (`missing_reference`: a foreign key). Other errors pass through unchanged.
 */
export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly code: 'conflict' | 'missing_reference',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isStorageError = (e: unknown, code?: StorageError['code']): e is StorageError =>
  e instanceof StorageError && (code === undefined || e.code === code);

/**
 * Wraps every method of a repository so that its driver's constraint errors become StorageErrors;
 * `wait`, when given, may hold a call back until it may run (a backend's own rule about when calls may run).
 */
export function translatingErrors<T extends object>(repo: T, translate: (e: unknown) => unknown, wait?: () => Promise<void> | undefined): T {
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        // Again after each wait: the call runs in the same turn as the check that let it through.
        for (let turn = wait?.(); turn; turn = wait?.()) await turn;
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (e) {
          throw translate(e);
        }
      };
    },
  });
}

/** better-sqlite3's codes (SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY, _FOREIGNKEY). */
export function fromSqlite(e: unknown): unknown {
  const code = (e as { code?: unknown })?.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new StorageError('conflict', 'the row already exists', { cause: e });
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new StorageError('missing_reference', 'the row refers to one that does not exist', { cause: e });
  return e;
}

/** PostgreSQL's SQLSTATE codes (23505 unique_violation, 23503 foreign_key_violation), also when drizzle wraps the error. */
export function fromPostgres(e: unknown): unknown {
  const code = (e as { code?: unknown })?.code ?? (e as { cause?: { code?: unknown } })?.cause?.code;
  if (code === '23505') return new StorageError('conflict', 'the row already exists', { cause: e });
  if (code === '23503') return new StorageError('missing_reference', 'the row refers to one that does not exist', { cause: e });
  return e;
}
