/**
 * A small table kept whole in memory (badge classes, pathways, questionnaires): a change made by this
 * instance shows at once (it loads again), one made by another within `freshFor` ms: past that, the
 * next read looks at the latest change time, without holding the reader, and loads again if it moved.
 */
export interface CachedTable<E> {
  load(): Promise<void>;
  /** The entries by key, after looking for another instance's change now and then. */
  current(): Map<string, E>;
}

export function createCachedTable<R, E>({
  list,
  lastChange,
  toEntry,
  keyOf,
  now,
  freshFor,
}: {
  list: () => Promise<R[]>;
  lastChange: () => Promise<string | null>;
  /** An entry, or undefined for a stored row that no longer parses (written by a later version): left out, not fatal. */
  toEntry: (row: R) => E | undefined;
  keyOf: (row: R) => string;
  now: () => Date;
  freshFor: number;
}): CachedTable<E> {
  let entries = new Map<string, E>();
  let loadedChange: string | null = null;
  let checkedAt = 0;
  let checking: Promise<void> | undefined;

  async function load(): Promise<void> {
    const [rows, change] = await Promise.all([list(), lastChange()]);
    const next = new Map<string, E>();
    for (const row of rows) {
      const entry = toEntry(row);
      if (entry) next.set(keyOf(row), entry);
    }
    entries = next;
    loadedChange = change;
    checkedAt = now().getTime();
  }

  return {
    load,
    current() {
      const at = now().getTime();
      if (at - checkedAt >= freshFor && !checking) {
        checkedAt = at;
        checking = lastChange()
          .then((change) => (change !== loadedChange ? load() : undefined))
          .catch(() => undefined)
          .finally(() => (checking = undefined));
      }
      return entries;
    },
  };
}
