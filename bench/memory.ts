/**
 * Memory under sustained issuance: issues N credentials in batches of 100 (kind 'batch', as
 * POST /api/v1/credentials/batch does) through the issuance service, on a fresh database, and samples
 * this process's RSS and V8 heap every 5,000 credentials. The verdict is the RSS growth from the
 * sample at 10 % of the run (after warm-up: JIT, caches filling, the allocator reaching its working
 * size) to the last sample, per 10,000 credentials: "flat" below 5 MiB per 10k. A least-squares fit
 * over the same samples is printed beside it.
 *
 *   npx tsx bench/memory.ts [--count 100000] [--backend sqlite|postgres] [--every 5000]
 *   NODE_OPTIONS=--expose-gc npx tsx bench/memory.ts     (a full GC before each sample: steadier figures)
 *
 * With PostgreSQL the server is another process: only the app's own memory (pool, driver) is sampled.
 * With SQLite the figure includes SQLite's page cache, which is bounded (cache_size, 2 MiB default).
 * It reports; it exits 0 either way.
 */
import { parseArgs } from 'node:util';
import { addProviders, awardMaker, closeContext, duration, exitOnSignals, int, openContext, parseBackends, parseCount, prepareBackend, threadsNote } from './lib/setup.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'sqlite' },
    every: { type: 'string', default: '5000' },
  },
  strict: true,
});
const COUNT = parseCount(args.count, 'count');
const [BACKEND] = parseBackends(args.backend, false) as [ReturnType<typeof parseBackends>[number]];
const BATCH = 100;
const EVERY = Math.max(BATCH, Math.round(parseCount(args.every, 'every') / BATCH) * BATCH);
const WARM_UP_SHARE = 0.1;
const FLAT_MIB_PER_10K = 5;

exitOnSignals();
const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 1024 * 1024;

interface Sample {
  credentials: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  ms: number;
}

const setup = await prepareBackend(BACKEND);
const ctx = await openContext(setup);
const samples: Sample[] = [];
try {
  const [caller] = await addProviders(ctx, 1);
  const award = awardMaker(ctx);
  // Warm-up, not counted: JIT, JSON-LD context parsing, statements, the first status list.
  await ctx.issuance.issue(caller!, Array.from({ length: BATCH }, (_, i) => award(COUNT + i)), { kind: 'batch' });

  console.log(`Memory: ${int(COUNT)} credentials in batches of ${BATCH} on ${BACKEND === 'sqlite' ? 'SQLite' : 'PostgreSQL (throw-away server; its memory is not sampled)'}`);
  console.log(threadsNote() + '; RSS counts the worker threads (same process)');
  console.log(`sampling process.memoryUsage() every ${int(EVERY)} credentials; ${gc ? 'a full GC before each sample (--expose-gc)' : 'no forced GC (run with NODE_OPTIONS=--expose-gc for steadier figures)'}`);
  console.log(`${'credentials'.padStart(12)} ${'rss MiB'.padStart(9)} ${'heapUsed'.padStart(9)} ${'heapTotal'.padStart(9)} ${'external'.padStart(9)} ${'cred/s'.padStart(8)} ${'elapsed'.padStart(8)}`);

  const start = performance.now();
  let last = start;
  let lastCount = 0;
  const sample = (credentials: number) => {
    gc?.();
    const m = process.memoryUsage();
    const now = performance.now();
    const s: Sample = { credentials, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, ms: now - start };
    samples.push(s);
    const speed = credentials > lastCount ? ((credentials - lastCount) / (now - last)) * 1000 : 0;
    last = now;
    lastCount = credentials;
    const f = (b: number) => (b / MiB).toFixed(1).padStart(9);
    console.log(`${int(credentials).padStart(12)} ${f(s.rss)} ${f(s.heapUsed)} ${f(s.heapTotal)} ${f(s.external)} ${(speed ? speed.toFixed(0) : '-').padStart(8)} ${duration(s.ms).padStart(8)}`);
  };

  sample(0);
  for (let done = 0; done < COUNT; ) {
    const size = Math.min(BATCH, COUNT - done);
    await ctx.issuance.issue(caller!, Array.from({ length: size }, (_, i) => award(done + i)), { kind: 'batch' });
    done += size;
    if (done % EVERY === 0 || done === COUNT) sample(done);
  }
} finally {
  await closeContext(ctx);
  await setup.dispose();
}

// The verdict: from the first sample at or after 10 % of the run to the last.
const from = samples.find((s) => s.credentials > 0 && s.credentials >= WARM_UP_SHARE * COUNT);
const to = samples.at(-1)!;
console.log();
console.log(`criterion: RSS growth from the sample at ${WARM_UP_SHARE * 100} % of the run to the end, per 10,000 credentials; "flat" below ${FLAT_MIB_PER_10K} MiB per 10k`);
if (!from || from === to) {
  console.log(`too few samples after warm-up for a verdict: use a larger --count or a smaller --every (now ${int(EVERY)})`);
} else {
  const per10k = (a: number, b: number) => ((b - a) / MiB / (to.credentials - from.credentials)) * 10_000;
  const rssSlope = per10k(from.rss, to.rss);
  const heapSlope = per10k(from.heapUsed, to.heapUsed);
  // Least squares over the samples after warm-up: less swayed by one sample taken mid-collection.
  const window = samples.filter((s) => s.credentials >= from.credentials);
  const line = (value: (s: Sample) => number) => {
    const n = window.length;
    const mx = window.reduce((a, s) => a + s.credentials, 0) / n;
    const my = window.reduce((a, s) => a + value(s), 0) / n;
    const sxy = window.reduce((a, s) => a + (s.credentials - mx) * (value(s) - my), 0);
    const sxx = window.reduce((a, s) => a + (s.credentials - mx) ** 2, 0);
    const slope = sxx ? sxy / sxx : 0;
    return { slope, at: (x: number) => my + slope * (x - mx) };
  };
  const fit = (value: (s: Sample) => number) => (window.length > 2 ? (line(value).slope / MiB) * 10_000 : Number.NaN);
  // How far single samples stray from the trend (V8 resizing its heap, the allocator): two samples that
  // far apart in opposite directions move the endpoint figure by this much per 10k.
  const rssLine = line((s) => s.rss);
  const straying = Math.max(...window.map((s) => Math.abs(s.rss - rssLine.at(s.credentials)))) / MiB;
  const resolution = (2 * straying * 10_000) / (to.credentials - from.credentials);
  const sign = (x: number) => (Number.isNaN(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(2)}`);
  console.log(`from ${int(from.credentials)} to ${int(to.credentials)} credentials (${window.length} samples):`);
  console.log(`  RSS       ${(from.rss / MiB).toFixed(1)} → ${(to.rss / MiB).toFixed(1)} MiB: ${sign(rssSlope)} MiB per 10k (least squares ${sign(fit((s) => s.rss))})`);
  console.log(`  heapUsed  ${(from.heapUsed / MiB).toFixed(1)} → ${(to.heapUsed / MiB).toFixed(1)} MiB: ${sign(heapSlope)} MiB per 10k (least squares ${sign(fit((s) => s.heapUsed))})`);
  console.log(`verdict: RSS ${rssSlope < FLAT_MIB_PER_10K ? 'flat' : 'GROWING'} (${sign(rssSlope)} MiB per 10k, target < ${FLAT_MIB_PER_10K})`);
  if (window.length > 2) {
    console.log(`  samples stray up to ${straying.toFixed(1)} MiB from the trend: over this run the endpoint figure is good to about ±${resolution.toFixed(1)} MiB per 10k`);
  }
  if (window.length < 4 || resolution >= FLAT_MIB_PER_10K) {
    console.log(`  (over this run the noise is at least the ${FLAT_MIB_PER_10K} MiB per 10k criterion: read the verdict with the heap figure and the fit; a larger --count narrows it)`);
  }
}
process.exit(0);
