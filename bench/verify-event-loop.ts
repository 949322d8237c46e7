/**
 * Event-loop delay while hostile inputs are verified: each input is POSTed, many times over, to
 * /verify of the real app on a real HTTP server on 127.0.0.1, while two probes watch the loop:
 * `perf_hooks.monitorEventLoopDelay` (1 ms resolution) and a 1 ms `setInterval` whose longest gap
 * between ticks is the longest time the loop was held. The hostile inputs (`hostile-inputs.ts`)
 * sit just under the caps and are signed by a did:key the verifier resolves without network, so
 * each gets the whole verification, not an early refusal; the "answer" column shows what the
 * verifier said. Client and server share the process, as the probes must watch the server's loop.
 *
 * Target: no single blocking gap above 50 ms. The benchmark reports; it exits 0 either way.
 *   npm run bench            (or: npx tsx bench/verify-event-loop.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { closeAppContext, createAppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/http/app.js';
import { MAX_IMAGE_INPUT, MAX_TEXT_INPUT } from '../src/http/routes/verify.js';
import { generateMissingKeys, loadKeys } from '../src/keys/key-store.js';
import { createLogger } from '../src/logger.js';
import { createGuardedFetcher, type LookupAll } from '../src/net/guarded-fetch.js';
import { VERIFY_LIMITS, assertWithinLimits } from '../src/verify/bounds.js';
import { hostileInputs, shape, type HostileInput } from './hostile-inputs.js';
import { addProvider } from '../src/organisations/api-keys.js';

const TARGET_MS = 50;
/** Each input is verified at least MIN_RUNS times and for at least MIN_MS, at most MAX_RUNS times. */
const MIN_RUNS = 3;
const MIN_MS = 1500;
const MAX_RUNS = 200;

// ---- The app, as the tests build it: temp folder, fresh keys, no DNS, no rate limits. ----------

const dir = mkdtempSync(join(tmpdir(), 'bench-verify-'));
const config = loadConfig({
  NODE_ENV: 'test',
  PUBLIC_URL: 'https://badges.example.org',
  DATA_DIR: join(dir, 'data'),
  KEYS_DIR: join(dir, 'keys'),
  LOG_LEVEL: 'silent',
  RATE_LIMITS: 'off',
});
await generateMissingKeys(config.keysDir);
/** Other issuers' hosts do not answer, and no DNS query leaves the machine. */
const unresolvable: LookupAll = (hostname, _options, callback) =>
  callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
const ctx = await createAppContext({
  config,
  logger: createLogger('silent'),
  keys: await loadKeys(config.keysDir),
  fetcher: createGuardedFetcher({}, { lookup: unresolvable }),
});
const server = createApp(ctx).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
const verifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify`;

const { apiKey } = await addProvider(ctx, 'Bench', ['*']);
const caller = (await ctx.apiKeys.authenticate(apiKey))!;
const [ours] = (
  await ctx.issuance.issue(caller, [{ badgeClass: ctx.catalog.list()[0]!.badgeClass.slug, recipient: { email: 'learner@example.org', name: 'Learner' }, language: 'en' }], { kind: 'single', jwt: true })
).issued;
const inputs = await hostileInputs({ credential: JSON.parse(ours!.document) as Record<string, unknown>, jwt: ours!.jwt! });
// Inputs over a cap are measured too: their answer is the refusal, which must be as quick.
for (const input of inputs) {
  try {
    assertWithinLimits({ credential: input.credential });
  } catch {
    // shown in the answer column as the 4xx it gets
  }
}

// ---- Measuring. -----------------------------------------------------------------------------------

/**
 * The tick probe: the longest gap between two 1 ms ticks, and the process CPU time spent in that gap.
 * CPU close to the gap means this process held the loop; CPU well below it means the OS ran
 * something else (a shared machine), which no code change here would remove.
 */
const tick = { last: performance.now(), lastCpu: process.cpuUsage(), maxGap: 0, cpuInMaxGap: 0 };
const probe = setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  if (now - tick.last > tick.maxGap) {
    tick.maxGap = now - tick.last;
    tick.cpuInMaxGap = (cpu.user - tick.lastCpu.user + cpu.system - tick.lastCpu.system) / 1000;
  }
  tick.last = now;
  tick.lastCpu = cpu;
}, 1);
const histogram = monitorEventLoopDelay({ resolution: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each body as fetch takes it, copied once here rather than on every request. */
const bodies = new Map(inputs.map((input) => [input, new Uint8Array(input.body)]));

/** POST /verify; returns the status, the verdict and the checks that failed. */
async function post(input: HostileInput): Promise<string> {
  const res = await fetch(verifyUrl, { method: 'POST', headers: { 'content-type': input.type, accept: 'application/json' }, body: bodies.get(input)! });
  const body = (await res.json()) as { verdict?: string; checks?: Array<{ id: string; status: string }>; error?: { code: string } };
  if (!res.ok) return `${res.status} ${body.error?.code ?? ''}`;
  const failed = (body.checks ?? []).filter((c) => c.status === 'failed').map((c) => c.id);
  return `${res.status} ${body.verdict}${failed.length ? `: ${failed.join(', ')}` : ''}`;
}

interface Row {
  input: HostileInput;
  answer: string;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  gap: number;
  cpuInGap: number;
}

async function measure(input: HostileInput): Promise<Row> {
  // Warm-up (JIT, context caches), at least once and for up to 300 ms; the first answer is shown.
  const answer = await post(input);
  for (const warm = performance.now(); performance.now() - warm < 300; ) await post(input);
  await sleep(20);
  histogram.reset();
  histogram.enable();
  Object.assign(tick, { last: performance.now(), lastCpu: process.cpuUsage(), maxGap: 0, cpuInMaxGap: 0 });
  const start = performance.now();
  let runs = 0;
  while (runs < MIN_RUNS || (performance.now() - start < MIN_MS && runs < MAX_RUNS)) {
    await post(input);
    runs++;
  }
  const elapsed = performance.now() - start;
  await sleep(5); // the tick after the last verification closes its gap
  histogram.disable();
  const ms = (ns: number) => ns / 1e6;
  return {
    input,
    answer,
    perSecond: (runs / elapsed) * 1000,
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
    gap: tick.maxGap,
    cpuInGap: tick.cpuInMaxGap,
  };
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const columns: Array<[string, number]> = [['input', -50], ['body', 9], ['values', 6], ['depth', 5], ['answer', -36], ['verif/s', 8], ['p50 ms', 7], ['p99 ms', 7], ['max ms', 8], ['gap ms', 8], ['cpu ms', 8], [`≤${TARGET_MS} ms`, -6]];
const line = (cells: string[]) => cells.map((c, i) => { const w = columns[i]![1]; return w < 0 ? c.slice(0, -w).padEnd(-w) : c.padStart(w); }).join('  ');
console.log(`Event-loop delay while verifying through POST /verify (caps: ${VERIFY_LIMITS.maxNodes} JSON values, depth ${VERIFY_LIMITS.maxDepth}, ${VERIFY_LIMITS.maxProofs} proofs, ${VERIFY_LIMITS.maxEndorsements} endorsements, ${VERIFY_LIMITS.maxStatusEntries} status entries, ${kib(MAX_TEXT_INPUT)} text, ${kib(MAX_IMAGE_INPUT)} image)`);
console.log('p50/p99/max: monitorEventLoopDelay; gap: longest gap between 1 ms ticks; cpu: process CPU time in that gap.\n');
const header = line(columns.map(([name]) => name));
console.log(header);
console.log('-'.repeat(header.length));
const rows: Row[] = [];
for (const input of inputs) {
  const row = await measure(input);
  rows.push(row);
  const { nodes, depth } = shape(input.credential);
  const f = (n: number) => n.toFixed(1);
  console.log(line([input.name, kib(input.body.length), String(nodes), String(depth), row.answer, f(row.perSecond), f(row.p50), f(row.p99), f(row.max), f(row.gap), f(row.cpuInGap), row.gap <= TARGET_MS ? 'yes' : 'NO']));
}
const over = rows.filter((r) => r.gap > TARGET_MS);
console.log(`\nTarget: no single blocking gap above ${TARGET_MS} ms.`);
console.log(
  over.length === 0
    ? `VERDICT: MET — all ${rows.length} inputs stay at or under ${TARGET_MS} ms.`
    : `VERDICT: NOT MET — ${over.length} of ${rows.length} inputs hold the event loop longer than ${TARGET_MS} ms:\n${over.map((r) => `  ${r.input.name}: ${r.gap.toFixed(0)} ms`).join('\n')}`,
);

clearInterval(probe);
server.close();
closeAppContext(ctx);
rmSync(dir, { recursive: true, force: true });
