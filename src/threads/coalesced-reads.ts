/**
 * Reads by key, gathered into one look-up while another is under way. The first read starts at once;
 * those asked for while a look-up is in flight wait for it to end and then go together in the next
 * one (at most `maxBatch` keys each). So a read always starts after it was asked for, never answered
 * by a look-up that began before it: a change committed before the request arrived is always seen.
 *
 * What it saves is round trips under load (each one costs the client and the server a parse and a
 * plan), not freshness: there is no cache.
 */
export interface CoalescedReads<K, V> {
  read(key: K): Promise<V | undefined>;
}

interface Waiting<K, V> {
  key: K;
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

export function createCoalescedReads<K, V>(lookUp: (keys: K[]) => Promise<Map<K, V>>, { maxBatch = 64 }: { maxBatch?: number } = {}): CoalescedReads<K, V> {
  let waiting: Waiting<K, V>[] = [];
  let inFlight = false;

  const next = (): void => {
    if (inFlight || !waiting.length) return;
    const batch = waiting.slice(0, maxBatch);
    waiting = waiting.slice(maxBatch);
    inFlight = true;
    const keys = [...new Set(batch.map((w) => w.key))];
    // A look-up that throws at once fails its batch like one that rejects. When one ends, the next
    // starts before its answers are handed out, so the database works while they are served.
    const settle = (answer: (w: Waiting<K, V>) => void) => {
      inFlight = false;
      next();
      for (const w of batch) answer(w);
    };
    new Promise<Map<K, V>>((resolve) => resolve(lookUp(keys))).then(
      (found) => settle((w) => w.resolve(found.get(w.key))),
      (error: unknown) => settle((w) => w.reject(error)),
    );
  };

  return {
    read: (key) =>
      new Promise<V | undefined>((resolve, reject) => {
        waiting.push({ key, resolve, reject });
        next();
      }),
  };
}
