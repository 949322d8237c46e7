import { createCoalescedReads } from '../../src/threads/coalesced-reads.js';

/** A look-up that answers only when told to, recording which keys each call asked for. */
function controlledLookUp(values: Map<string, number>) {
  const calls: { keys: string[]; answer: () => void; fail: (e: Error) => void }[] = [];
  const lookUp = (keys: string[]) =>
    new Promise<Map<string, number>>((resolve, reject) => {
      // The answer is what the store holds when it answers, as a database read would be.
      calls.push({ keys, answer: () => resolve(new Map(keys.filter((k) => values.has(k)).map((k) => [k, values.get(k)!]))), fail: reject });
    });
  return { calls, lookUp };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('coalesced reads', () => {
  it('starts the first read at once and gathers those asked meanwhile into the next look-up', async () => {
    const values = new Map([['a', 1], ['b', 2], ['c', 3]]);
    const { calls, lookUp } = controlledLookUp(values);
    const reads = createCoalescedReads(lookUp);
    const a = reads.read('a');
    expect(calls.map((c) => c.keys)).toEqual([['a']]);
    const rest = [reads.read('b'), reads.read('c'), reads.read('b'), reads.read('z')];
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.answer();
    expect(await a).toBe(1);
    await settle();
    // One look-up for the four, each key once.
    expect(calls.map((c) => c.keys)).toEqual([['a'], ['b', 'c', 'z']]);
    calls[1]!.answer();
    expect(await Promise.all(rest)).toEqual([2, 3, 2, undefined]);
  });

  it('never answers a read with a look-up that began before it was asked', async () => {
    const values = new Map([['a', 1]]);
    const { calls, lookUp } = controlledLookUp(values);
    const reads = createCoalescedReads(lookUp);
    const first = reads.read('a');
    // The value changes while the first look-up is in flight; a read asked now must see the change.
    values.set('a', 2);
    const second = reads.read('a');
    calls[0]!.answer();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.answer();
    expect(await second).toBe(2);
    expect(await first).toBe(2); // the first look-up answered after the change too, as a database may
  });

  it('fails only the reads of a look-up that failed, and goes on with the next', async () => {
    const { calls, lookUp } = controlledLookUp(new Map([['a', 1], ['b', 2]]));
    const reads = createCoalescedReads(lookUp);
    const a = reads.read('a');
    const b = reads.read('b');
    calls[0]!.fail(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await settle();
    calls[1]!.answer();
    expect(await b).toBe(2);
  });

  it('fails the reads of a look-up that throws at once', async () => {
    const reads = createCoalescedReads<string, number>(() => {
      throw new Error('not connected');
    });
    await expect(reads.read('a')).rejects.toThrow('not connected');
    await expect(reads.read('b')).rejects.toThrow('not connected');
  });

  it('asks for at most maxBatch keys in one look-up', async () => {
    const values = new Map(Array.from({ length: 10 }, (_, i) => [`k${i}`, i] as const));
    const { calls, lookUp } = controlledLookUp(values);
    const reads = createCoalescedReads(lookUp, { maxBatch: 4 });
    const all = [...values.keys()].map((k) => reads.read(k));
    for (let i = 0; i < 4; i++) {
      await settle();
      calls[i]?.answer();
    }
    expect(calls.map((c) => c.keys.length)).toEqual([1, 4, 4, 1]);
    expect(await Promise.all(all)).toEqual([...values.values()]);
  });
});
