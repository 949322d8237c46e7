/**
 * Growth: does the service stay as fast with a million credentials stored as with none? For each
 * storage backend (SQLite in DATA_DIR; PostgreSQL with DATABASE_URL, a throw-away server from
 * bench/lib/postgres.ts), on a fresh database:
 *   1. issuance rate on the empty database: single awards (kind 'single') one after another, and
 *      batches of 100 (kind 'batch'), through the issuance service as the API calls it;
 *   2. seeds N real, signed credentials in batches of 1000 over several providers, the catalog's badge
 *      classes and languages in turn, with progress and where the time goes (signing, writes, status
 *      index allocation);
 *   3. at N: the issuance rate again, and its ratio to the empty database's (target ≥ 80 %);
 *   4. listing one provider's credentials, 50 a page, by keyset cursor at the first page, the middle
 *      and the end (target p99 ≤ 20 ms), and by offset at the same depths for comparison;
 *   5. start-up on the full database: `tsx src/main.ts` as a child process until GET /health answers
 *      (target ≤ 5 s), beside the in-process part (createAppContext + listen + /health).
 * Then a side-by-side table, with PostgreSQL's issuance rate as a share of SQLite's (target ≥ 0.7).
 * It reports; it exits 0 either way.
 *
 *   npx tsx bench/growth.ts [--backend sqlite|postgres|both] [--count N] [--providers 10] [--keep DIR]
 *
 * The default N is 1,000,000: at 550–750 credentials/s (signing workers, 2 cores) that is 25–30 min of
 * seeding per backend, and disk: about 15 kB a credential on SQLite, 10 kB on PostgreSQL (documents
 * compressed) plus up to 4 GB of its WAL. Try it with --count 20000 first. SIGNING_THREADS and
 * VERIFY_THREADS pass through to the app. --keep DIR leaves the data (and PostgreSQL's cluster) in
 * DIR/<backend>; without it every folder is removed at the end, also on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { freePort } from './lib/net.js';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AppContext } from '../src/app-context.js';
import type { CredentialListQuery } from '../src/db/repositories.js';
import { createApp } from '../src/http/app.js';
import type { Caller } from '../src/organisations/api-keys.js';
import { POSTGRES_SETTINGS } from './lib/postgres.js';
import {
  addProviders,
  awardMaker,
  closeContext,
  duration,
  exitOnSignals,
  instrumentIssuance,
  int,
  mib,
  ms,
  openContext,
  parseBackends,
  parseCount,
  percentile,
  prepareBackend,
  PROJECT_ROOT,
  type Backend,
  type BenchSetup,
  threadsNote,
  type IssuanceSplit,
} from './lib/setup.js';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    count: { type: 'string', default: '1000000' },
    providers: { type: 'string', default: '10' },
    keep: { type: 'string' },
  },
  strict: true,
});
const BACKEND_LIST = parseBackends(args.backend, true);
const COUNT = parseCount(args.count, 'count');
const PROVIDERS = parseCount(args.providers, 'providers');
const KEEP = args.keep ? resolve(args.keep) : undefined;
if (KEEP) {
  for (const b of BACKEND_LIST) {
    const d = join(KEEP, b);
    if (existsSync(d) && readdirSync(d).length) throw new Error(`--keep: ${d} is not empty; give a folder without an earlier run`);
  }
}

const SEED_BATCH = 1000;
const RATE_SECONDS = 3;
const RATE_ROUNDS = 2;
const WARM_UP_WINDOW_SECONDS = 2;
const WARM_UP_TOLERANCE = 0.05;
const WARM_UP_MIN_SECONDS = 5;
const WARM_UP_MAX_SECONDS = 40;
const PAGE = 50;
const LIST_REQUESTS = 200;
const STARTUP_RUNS = 3;
const TARGET = { keepRate: 0.8, listP99Ms: 20, startupMs: 5000, pgShare: 0.7 };
const PROGRESS_EVERY = Math.min(50_000, Math.max(SEED_BATCH, Math.round(COUNT / 10 / SEED_BATCH) * SEED_BATCH));

exitOnSignals();

// ---------------------------------------------------------------------------------------------- printing

const LABEL = 50;
const VALUE = 14;
function line(label: string, value: string, target?: { text: string; met: boolean } | string): void {
  const t = target === undefined ? '' : typeof target === 'string' ? `  ${target}` : `  target ${target.text}  ${target.met ? 'met' : 'NOT MET'}`;
  console.log(`  ${label.padEnd(LABEL)} ${value.padStart(VALUE)}${t}`);
}
const rate = (r: number) => `${r.toFixed(r < 100 ? 1 : 0)} cred/s`;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

// ---------------------------------------------------------------------------------------------- measures

interface Rates {
  single: number;
  batch: number;
}

interface ListFigure {
  label: string;
  depth: number;
  requests: number;
  p50: number;
  p99: number;
  keyset: boolean;
}

interface BackendResult {
  backend: Backend;
  empty: Rates;
  full: Rates;
  seedRate: number;
  /** Shares of the seeding time; `sign` undefined when signing is not a separate step (it is then in `rest`). */
  seedSplit?: { sign?: number; store: number; allocate: number; rest: number };
  databaseBytes: number;
  perProvider: number;
  listing: ListFigure[];
  countMs: number;
  startupInProcessMs: number;
  startupChildMs: number[];
  startupChildEmptyMs: number[];
}

let awardNo = 0;

/** Credentials per second over at least RATE_SECONDS (and at least two calls) of back-to-back issue calls. */
async function issuanceRate(ctx: AppContext, caller: Caller, size: number, kind: 'single' | 'batch'): Promise<number> {
  const award = awardMaker(ctx);
  let issued = 0;
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < RATE_SECONDS * 1000 || calls < 2) {
    const awards = Array.from({ length: size }, () => award(awardNo++));
    await ctx.issuance.issue(caller, awards, { kind });
    issued += size;
    calls++;
  }
  return (issued / (performance.now() - start)) * 1000;
}

/**
 * The best of RATE_ROUNDS windows for each measure, taken in turn (single, batch, single, batch): other
 * load on the machine only ever slows a window down, so the best is the least disturbed one.
 */
async function rates(ctx: AppContext, caller: Caller): Promise<Rates> {
  const r: Rates = { single: 0, batch: 0 };
  for (let round = 0; round < RATE_ROUNDS; round++) {
    r.single = Math.max(r.single, await issuanceRate(ctx, caller, 1, 'single'));
    r.batch = Math.max(r.batch, await issuanceRate(ctx, caller, 100, 'batch'));
  }
  return r;
}

/**
 * Warm-up (JIT on the event loop and in the signing workers, JSON-LD contexts, prepared statements,
 * the database's caches and statistics, the first status list): windows of WARM_UP_WINDOW_SECONDS of
 * single issuance, each followed by a batch of 100, until two windows in a row agree within
 * WARM_UP_TOLERANCE, after at least WARM_UP_MIN_SECONDS, at most WARM_UP_MAX_SECONDS. PostgreSQL
 * in particular speeds up over its first few thousand credentials, so a fixed short warm-up would
 * make the "empty" rate a cold one.
 */
async function warmUp(ctx: AppContext, caller: Caller): Promise<{ seconds: number; credentials: number; settled: boolean }> {
  const award = awardMaker(ctx);
  const first = awardNo;
  const start = performance.now();
  let previous = 0;
  for (;;) {
    let n = 0;
    const windowStart = performance.now();
    while (performance.now() - windowStart < WARM_UP_WINDOW_SECONDS * 1000) {
      await ctx.issuance.issue(caller, [award(awardNo++)], { kind: 'single' });
      n++;
    }
    const current = n / WARM_UP_WINDOW_SECONDS;
    await ctx.issuance.issue(caller, Array.from({ length: 100 }, () => award(awardNo++)), { kind: 'batch' });
    const elapsed = (performance.now() - start) / 1000;
    const settled = previous > 0 && Math.abs(current - previous) <= WARM_UP_TOLERANCE * previous;
    if ((settled && elapsed >= WARM_UP_MIN_SECONDS) || elapsed >= WARM_UP_MAX_SECONDS) return { seconds: elapsed, credentials: awardNo - first, settled };
    previous = current;
  }
}

function shareOf(t: { allocate: number; store: number; sign: number }, totalMs: number, signSeparate: boolean): NonNullable<BackendResult['seedSplit']> {
  return {
    ...(signSeparate ? { sign: t.sign / totalMs } : {}),
    store: t.store / totalMs,
    allocate: t.allocate / totalMs,
    rest: 1 - (t.allocate + t.store + t.sign) / totalMs,
  };
}

function shareText(s: NonNullable<BackendResult['seedSplit']>): string {
  return s.sign !== undefined
    ? `sign ${pct(s.sign)}, store ${pct(s.store)}, status index ${pct(s.allocate)}, build and rest ${pct(s.rest)}`
    : `sign and build ${pct(s.rest)}, store ${pct(s.store)}, status index ${pct(s.allocate)}`;
}

async function seed(ctx: AppContext, callers: Caller[], split: IssuanceSplit, setup: BenchSetup): Promise<{ rate: number; split?: BackendResult['seedSplit'] }> {
  const award = awardMaker(ctx);
  split.reset();
  const start = performance.now();
  let windowStart = start;
  let windowCount = 0;
  let totalSplit = { allocate: 0, store: 0, sign: 0 };
  for (let done = 0, batch = 0; done < COUNT; batch++) {
    const size = Math.min(SEED_BATCH, COUNT - done);
    const awards = Array.from({ length: size }, () => award(awardNo++));
    // Providers in turn, so each ends with about N / providers credentials of every class and language.
    await ctx.issuance.issue(callers[batch % callers.length]!, awards, { kind: 'batch' });
    done += size;
    windowCount += size;
    if (done % PROGRESS_EVERY === 0 || done === COUNT) {
      const now = performance.now();
      const windowMs = now - windowStart;
      const w = { allocate: split.allocateMs - totalSplit.allocate, store: split.storeMs - totalSplit.store, sign: (split.signMs ?? 0) - totalSplit.sign };
      totalSplit = { allocate: split.allocateMs, store: split.storeMs, sign: split.signMs ?? 0 };
      const shares = split.active ? shareText(shareOf(w, windowMs, split.signMs !== undefined)) : 'split unavailable';
      const overall = (done / (now - start)) * 1000;
      console.log(
        `  seeded ${int(done).padStart(int(COUNT).length)} / ${int(COUNT)}  ${rate((windowCount / windowMs) * 1000).padStart(13)} last ${int(windowCount)}` +
          `  ${rate(overall).padStart(13)} overall  (${shares})  db ${mib(await setup.databaseBytes())}  ${duration(now - start)}` +
          (done < COUNT ? `, ~${duration(((COUNT - done) / overall) * 1000)} to go` : ''),
      );
      windowStart = now;
      windowCount = 0;
    }
  }
  const total = performance.now() - start;
  return {
    rate: (COUNT / total) * 1000,
    ...(split.active
      ? { split: shareOf({ allocate: split.allocateMs, store: split.storeMs, sign: split.signMs ?? 0 }, total, split.signMs !== undefined) }
      : {}),
  };
}

async function timeRequests(requests: number, call: (i: number) => Promise<number>, budgetMs = Number.POSITIVE_INFINITY): Promise<number[]> {
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < requests && (i < 10 || performance.now() - start < budgetMs); i++) {
    const t = performance.now();
    await call(i);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

async function listing(ctx: AppContext, caller: Caller, total: number): Promise<ListFigure[]> {
  const list = (q: CredentialListQuery) => ctx.issuance.list(caller, q);
  // Warm-up: statement preparation, the first pages into the cache.
  for (let i = 0; i < 20; i++) await list({ limit: PAGE });
  const figures: ListFigure[] = [];
  const depths: Array<[string, number]> = [
    ['first page', 0],
    ['middle', Math.floor(total / 2)],
    ['last page', Math.max(0, total - PAGE)],
  ];
  for (const [name, depth] of depths) {
    // The position just before `depth`, found once by offset (as a client that walked there would hold it).
    const anchorRow = depth > 0 ? (await list({ limit: 1, offset: depth - 1 })).items[0] : undefined;
    const anchor = anchorRow ? { issuedAt: anchorRow.issuedAt, id: anchorRow.id } : undefined;
    // Walk on by cursor from there, as a client paging through does; back to the anchor at the end.
    let after = anchor;
    const times = await timeRequests(LIST_REQUESTS, async () => {
      const page = await list({ limit: PAGE, ...(after ? { after } : {}) });
      const last = page.items.at(-1);
      after = page.items.length === PAGE && last ? { issuedAt: last.issuedAt, id: last.id } : anchor;
      return page.items.length;
    });
    figures.push({ label: `keyset, ${name} (row ${int(depth)})`, depth, requests: times.length, p50: percentile(times, 50), p99: percentile(times, 99), keyset: true });
  }
  for (const [name, depth] of depths.slice(1)) {
    // For comparison: the same depths by offset (each request steps over `depth` rows); at most 15 s.
    const times = await timeRequests(LIST_REQUESTS, async () => (await list({ limit: PAGE, offset: depth })).items.length, 15_000);
    figures.push({ label: `offset, ${name} (offset ${int(depth)})`, depth, requests: times.length, p50: percentile(times, 50), p99: percentile(times, 99), keyset: false });
  }
  return figures;
}

async function waitForHealth(url: string, deadline: number, failed: () => string | undefined): Promise<void> {
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${url} did not answer within 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Real start-up: `node <tsx cli> src/main.ts` (what `npx tsx src/main.ts` / `npm start` runs, without
 * npx's own start), NODE_ENV=production, until GET /health answers 200; then SIGTERM. Includes node's
 * start, tsx's loader and its transform of src/ (from tsx's cache, warm because this bench itself ran
 * through tsx), imports, migrations check, keys, catalog and opening the database.
 */
async function startupChild(setup: BenchSetup): Promise<number> {
  const tsxCli = join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const port = await freePort();
  // Production requires SMTP_URL. Nothing listens on port 9: the award messages queued by the runs are
  // refused a connection and put off, never sent.
  const env: NodeJS.ProcessEnv = { ...process.env, ...setup.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), SMTP_URL: 'smtp://127.0.0.1:9' };
  if (!setup.env.DATABASE_URL) delete env.DATABASE_URL;
  const start = performance.now();
  const child = spawn(process.execPath, [tsxCli, 'src/main.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await waitForHealth(`http://127.0.0.1:${port}/health`, start + 60_000, () =>
      child.exitCode !== null ? `src/main.ts exited with code ${child.exitCode} before answering:\n${output}` : undefined,
    );
    return performance.now() - start;
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

/** The part of start-up that is ours: keys, createAppContext (database, migrations, catalog), listen, /health. */
async function startupInProcess(setup: BenchSetup): Promise<number> {
  const start = performance.now();
  const ctx = await openContext(setup);
  const server = createApp(ctx).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  await waitForHealth(`http://127.0.0.1:${port}/health`, performance.now() + 60_000, () => undefined);
  const took = performance.now() - start;
  await new Promise<void>((r) => server.close(() => r()));
  await closeContext(ctx);
  return took;
}

async function startupRuns(setup: BenchSetup): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) times.push(await startupChild(setup));
  return times;
}

// ---------------------------------------------------------------------------------------------- one backend

async function runBackend(backend: Backend): Promise<BackendResult> {
  console.log(`\n=== ${backend === 'sqlite' ? 'SQLite (DATA_DIR)' : 'PostgreSQL (DATABASE_URL)'}: ${int(COUNT)} credentials over ${PROVIDERS} providers ===`);
  const setup = await prepareBackend(backend, KEEP);
  if (setup.pg) console.log(`  PostgreSQL: throw-away server, ${Object.entries(POSTGRES_SETTINGS).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  console.log(`  data in ${setup.pg ? setup.pg.dir : setup.env.DATA_DIR}${KEEP ? ' (kept)' : ' (removed at the end)'}`);
  try {
    const ctx = await openContext(setup);
    const split = instrumentIssuance(ctx);
    const callers = await addProviders(ctx, PROVIDERS);
    // The rate measures issue as a provider of their own, so the listed provider holds just its seeded share.
    const [caller] = (await addProviders(ctx, 1)) as [Caller];
    const listed = callers[0]!;
    // Too short a warm-up shows as an empty-database rate below the full one.
    const warm = await warmUp(ctx, caller);

    console.log(
      `\n  empty database (issuance: best of ${RATE_ROUNDS} windows of ${RATE_SECONDS} s each, after ${warm.seconds.toFixed(0)} s of warm-up: ` +
        `${int(warm.credentials)} credentials, ${warm.settled ? `single rate steady within ${pct(WARM_UP_TOLERANCE)}` : 'single rate still moving at the time limit'})`,
    );
    const empty = await rates(ctx, caller);
    line('issuance, single, one after another', rate(empty.single));
    line('issuance, batches of 100', rate(empty.batch));
    const startupChildEmptyMs = await startupRuns(setup);
    line(`start-up, child process, worst of ${STARTUP_RUNS}`, `${int(Math.max(...startupChildEmptyMs))} ms`, `(each: ${startupChildEmptyMs.map(int).join(', ')} ms)`);

    console.log(`\n  seeding ${int(COUNT)} signed credentials in batches of ${SEED_BATCH} (progress every ${int(PROGRESS_EVERY)})`);
    const emptyBytes = await setup.databaseBytes();
    const seeded = await seed(ctx, callers, split, setup);
    const databaseBytes = await setup.databaseBytes();
    line('seeding rate', rate(seeded.rate));
    if (seeded.split) {
      const { sign, store, allocate, rest } = seeded.split;
      if (sign !== undefined) {
        line('  of which waiting for signing (DI + VC-JWT)', pct(sign), '(ctx.signing.secure: the signing workers)');
        line('  of which building and the rest', pct(rest));
      } else {
        line('  of which building and signing', pct(rest));
      }
      line('  of which the storage transaction (writes)', pct(store));
      line('  of which status index allocation', pct(allocate));
    }
    line('database size', mib(databaseBytes), `(${int((databaseBytes - emptyBytes) / COUNT)} bytes a credential, documents, JWTs, indexes)`);

    console.log(`\n  at ${int(COUNT)} credentials (issuance: best of ${RATE_ROUNDS} windows of ${RATE_SECONDS} s each)`);
    const full = await rates(ctx, caller);
    line('issuance, single, one after another', rate(full.single), { text: `≥ ${pct(TARGET.keepRate)} of empty (${pct(full.single / empty.single)})`, met: full.single >= TARGET.keepRate * empty.single });
    line('issuance, batches of 100', rate(full.batch), { text: `≥ ${pct(TARGET.keepRate)} of empty (${pct(full.batch / empty.batch)})`, met: full.batch >= TARGET.keepRate * empty.batch });

    const countStart = performance.now();
    const perProvider = (await ctx.issuance.list(listed, { limit: 1, withTotal: true })).total ?? 0;
    const countMs = performance.now() - countStart;
    console.log(`\n  listing one provider's ${int(perProvider)} credentials, ${PAGE} a page, ${LIST_REQUESTS} requests a line (issuance service, no HTTP)`);
    const listingFigures = await listing(ctx, listed, perProvider);
    console.log(`  ${''.padEnd(LABEL)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`);
    for (const f of listingFigures) {
      const figures = `${ms(f.p50).padStart(5)} ms ${ms(f.p99).padStart(5)} ms`;
      const note = f.keyset
        ? `  target p99 ≤ ${TARGET.listP99Ms} ms  ${f.p99 <= TARGET.listP99Ms ? 'met' : 'NOT MET'}`
        : `  (for comparison${f.requests < LIST_REQUESTS ? `; ${f.requests} requests in the time allowed` : ''})`;
      console.log(`  ${f.label.padEnd(LABEL)} ${figures}${note}`);
    }
    line('first page with the total counted (withTotal)', `${ms(countMs)} ms`, '(one request, no target)');

    console.log(`\n  start-up on the full database`);
    await closeContext(ctx);
    const startupInProcessMs = await startupInProcess(setup);
    line('in process: createAppContext + listen + /health', `${int(startupInProcessMs)} ms`, '(our part; no target)');
    const startupChildMs = await startupRuns(setup);
    line(`child \`tsx src/main.ts\` until /health, worst of ${STARTUP_RUNS}`, `${int(Math.max(...startupChildMs))} ms`, {
      text: `≤ ${TARGET.startupMs / 1000} s (each: ${startupChildMs.map(int).join(', ')} ms; empty: ${int(Math.max(...startupChildEmptyMs))} ms)`,
      met: Math.max(...startupChildMs) <= TARGET.startupMs,
    });

    return {
      backend,
      empty,
      full,
      seedRate: seeded.rate,
      ...(seeded.split ? { seedSplit: seeded.split } : {}),
      databaseBytes,
      perProvider,
      listing: listingFigures,
      countMs,
      startupInProcessMs,
      startupChildMs,
      startupChildEmptyMs,
    };
  } finally {
    await setup.dispose();
  }
}

// ---------------------------------------------------------------------------------------------- main

console.log(`Growth benchmark: ${int(COUNT)} credentials, backends ${BACKEND_LIST.join(' and ')}; ${threadsNote()}; the machine's other load shares the cores`);
const results: BackendResult[] = [];
for (const backend of BACKEND_LIST) results.push(await runBackend(backend));

const sqlite = results.find((r) => r.backend === 'sqlite');
const postgres = results.find((r) => r.backend === 'postgres');
console.log(`\n=== Summary at ${int(COUNT)} credentials ===`);
const cols = results.map((r) => (r.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'));
const W = 14;
console.log(`  ${'figure'.padEnd(LABEL)} ${cols.map((c) => c.padStart(W)).join(' ')}  target`);
const row = (label: string, cells: string[], target = '') => console.log(`  ${label.padEnd(LABEL)} ${cells.map((c) => c.padStart(W)).join(' ')}  ${target}`);
const verdict = (ok: boolean[]) => (ok.every(Boolean) ? 'met' : 'NOT MET');
row('issuance single, empty (cred/s)', results.map((r) => r.empty.single.toFixed(1)));
row(`issuance single, at ${int(COUNT)} (cred/s)`, results.map((r) => r.full.single.toFixed(1)));
row('  at N / empty', results.map((r) => pct(r.full.single / r.empty.single)), `≥ ${pct(TARGET.keepRate)} ${verdict(results.map((r) => r.full.single >= TARGET.keepRate * r.empty.single))}`);
row('issuance batch of 100, empty (cred/s)', results.map((r) => r.empty.batch.toFixed(1)));
row(`issuance batch of 100, at ${int(COUNT)} (cred/s)`, results.map((r) => r.full.batch.toFixed(1)));
row('  at N / empty', results.map((r) => pct(r.full.batch / r.empty.batch)), `≥ ${pct(TARGET.keepRate)} ${verdict(results.map((r) => r.full.batch >= TARGET.keepRate * r.empty.batch))}`);
row('seeding, batches of 1000 (cred/s)', results.map((r) => r.seedRate.toFixed(1)));
row('  signing share of seeding', results.map((r) => (r.seedSplit ? pct(r.seedSplit.sign ?? r.seedSplit.rest) : '-')));
row('  storage transaction share of seeding', results.map((r) => (r.seedSplit ? pct(r.seedSplit.store) : '-')));
row('  status index allocation share of seeding', results.map((r) => (r.seedSplit ? pct(r.seedSplit.allocate) : '-')));
row('database size', results.map((r) => mib(r.databaseBytes)));
const listLabels = results[0]?.listing.map((f) => f.label.replace(/ \((row|offset) [\d,]+\)$/, '')) ?? [];
listLabels.forEach((label, i) => {
  const keyset = results[0]!.listing[i]!.keyset;
  row(
    `list ${label}, p99 (ms)`,
    results.map((r) => ms(r.listing[i]!.p99)),
    keyset ? `≤ ${TARGET.listP99Ms} ms ${verdict(results.map((r) => r.listing[i]!.p99 <= TARGET.listP99Ms))}` : '(comparison)',
  );
});
row('start-up, child process, worst (ms)', results.map((r) => int(Math.max(...r.startupChildMs))), `≤ ${int(TARGET.startupMs)} ms ${verdict(results.map((r) => Math.max(...r.startupChildMs) <= TARGET.startupMs))}`);
row('start-up, in process (ms)', results.map((r) => int(r.startupInProcessMs)));
if (sqlite && postgres) {
  console.log(`\n  PostgreSQL / SQLite issuance rate, target ≥ ${TARGET.pgShare}`);
  const share = (label: string, pgRate: number, sqliteRate: number) => {
    const r = pgRate / sqliteRate;
    console.log(`  ${label.padEnd(LABEL)} ${r.toFixed(2).padStart(W)}  ${r >= TARGET.pgShare ? 'met' : 'NOT MET'}`);
  };
  share('single, empty', postgres.empty.single, sqlite.empty.single);
  share(`single, at ${int(COUNT)}`, postgres.full.single, sqlite.full.single);
  share('batch of 100, empty', postgres.empty.batch, sqlite.empty.batch);
  share(`batch of 100, at ${int(COUNT)}`, postgres.full.batch, sqlite.full.batch);
  share('seeding, batches of 1000', postgres.seedRate, sqlite.seedRate);
}
console.log('\n  Rates are CPU-bound (signing) on shared cores: other load on the machine moves them by several per cent.');
process.exit(0);
