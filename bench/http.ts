/**
 * Throughput over HTTP on loopback: the service as `npm start` runs it (src/main.ts under tsx, in its
 * own process, with its worker threads), driven by a closed-loop undici client from this process
 * (bench/lib/load.ts says why not autocannon); client and server share the machine's cores. Each line prints the figure beside the target issue 7 sets for it.
 * It reports; it exits 0 either way.
 *   npx tsx bench/http.ts [--backend sqlite|postgres|both] [--seconds 5] [--repeat 1] [--pg-transport socket|tcp]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './lib/net.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, type LoadOptions, type LoadResult } from './lib/load.js';
import { startPostgres } from './lib/postgres.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const SECONDS = Number(arg('seconds', '5'));
/** Only the cases whose name contains this text. */
const ONLY = arg('only', '');
const BACKENDS = arg('backend', 'sqlite') === 'both' ? ['sqlite', 'postgres'] : [arg('backend', 'sqlite')];
/**
 * How the service reaches PostgreSQL: `socket` (the default), as a service on the database's own
 * machine connects, or `tcp` on 127.0.0.1. The server shares this machine's cores either way.
 */
const PG_TRANSPORT = arg('pg-transport', 'socket');
/**
 * Runs of the whole set per backend, the backends taking turns, so that a slow spell of the machine
 * falls on both; each figure is the median of the runs, with their range beside it.
 */
const REPEAT = Number(arg('repeat', '1'));

interface Service {
  base: string;
  apiKey: string;
  stop(): Promise<void>;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const fullEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: 'https://badges.example.org', LOG_LEVEL: 'warn', RATE_LIMITS: 'off' };
  // A provider and its key, the way an operator makes one (the CLI, on the same database).
  const cli = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'providers', 'add', '--name', 'Bench', '--badge-classes', 'all'], { env: fullEnv, encoding: 'utf8' });
  const apiKey = cli.trim().split('\n').at(-1)!;
  // Node itself (not npx), so that SIGTERM reaches the service; PROFILE_DIR writes a CPU profile of it.
  const profile = process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], { env: fullEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      if (i > 200) throw new Error('the service did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    apiKey,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Case {
  name: string;
  target: string;
  /** The figure compared with the target: requests/s, credentials/s or p99 latency. */
  figure: (r: LoadResult) => number;
  unit: string;
  met: (figure: number) => boolean;
  options: LoadOptions;
}

async function run(backend: string): Promise<Array<{ name: string; figure: number; unit: string; target: string; meets: (figure: number) => boolean }>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const postgres = backend === 'postgres' ? await startPostgres() : undefined;
  const service = await startService({ DATA_DIR: join(dir, 'data'), KEYS_DIR: join(dir, 'keys'), ...(postgres ? { DATABASE_URL: PG_TRANSPORT === 'tcp' ? postgres.url : postgres.socketUrl } : {}) });
  const { base, apiKey } = service;
  const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const slug = 'carer-plus-digital-communication';
  const award = (i: number) => ({ badgeClass: slug, recipient: { email: `learner${i}@example.org`, name: `Learner ${i}` }, evidence: [{ narrative: 'Completed the module.' }] });
  const first = await fetch(`${base}/api/v1/credentials`, { method: 'POST', headers: auth, body: JSON.stringify(award(0)) });
  if (first.status !== 201) throw new Error(`issuance answered ${first.status}: ${await first.text()}`);
  const issued = (await first.json()) as { id: string; credential: unknown };
  const perSecond = (r: LoadResult) => r.rate;
  const cases: Case[] = [
    { name: 'GET badge.png', target: '≥ 3,000/s', unit: '/s', figure: perSecond, met: (f) => f >= 3000, options: { url: `${base}/credentials/${issued.id}/badge.png`, connections: 8 } },
    { name: 'GET credential page (HTML)', target: '≥ 2,000/s', unit: '/s', figure: perSecond, met: (f) => f >= 2000, options: { url: `${base}/credentials/${issued.id}`, connections: 8, headers: { accept: 'text/html' } } },
    {
      name: 'POST /verify, a credential of ours',
      target: '≥ 500/s',
      unit: '/s',
      figure: perSecond,
      met: (f) => f >= 500,
      options: { url: `${base}/verify`, connections: 8, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(issued.credential) },
    },
    {
      name: 'POST /api/v1/credentials, concurrency 8',
      target: '≥ 1,000/s',
      unit: '/s',
      figure: perSecond,
      met: (f) => f >= 1000,
      options: { url: `${base}/api/v1/credentials`, connections: 8, method: 'POST', headers: auth, body: JSON.stringify(award(1)) },
    },
    {
      name: 'POST /api/v1/credentials, concurrency 1: p99',
      target: '≤ 15 ms',
      unit: 'ms',
      figure: (r) => r.p99,
      met: (f) => f <= 15,
      options: { url: `${base}/api/v1/credentials`, connections: 1, method: 'POST', headers: auth, body: JSON.stringify(award(2)) },
    },
    {
      name: 'POST /api/v1/credentials/batch of 100',
      target: '≥ 1,500 credentials/s',
      unit: 'cred/s',
      figure: (r) => r.rate * 100,
      met: (f) => f >= 1500,
      options: {
        url: `${base}/api/v1/credentials/batch`,
        connections: 2,
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ awards: Array.from({ length: 100 }, (_, i) => award(i)) }),
      },
    },
  ];
  const out = [];
  for (const c of cases.filter((k) => k.name.includes(ONLY))) {
    const result = await load({ seconds: SECONDS, ...c.options });
    const figure = c.figure(result);
    if (result.non2xx) console.log(`  (${c.name}: ${result.non2xx} answers were not 2xx)`);
    out.push({ name: c.name, figure, unit: c.unit, target: c.target, meets: c.met });
  }
  await service.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

console.log(`HTTP on loopback: the service in its own process, an undici closed loop here, ${SECONDS} s per line, client and server sharing the machine`);
if (BACKENDS.includes('postgres')) console.log(`PostgreSQL on this machine too, reached through its ${PG_TRANSPORT === 'tcp' ? 'TCP port on 127.0.0.1' : 'unix socket'}`);
type Run = Awaited<ReturnType<typeof run>>;
const runs = new Map<string, Run[]>(BACKENDS.map((b) => [b, []]));
for (let r = 0; r < REPEAT; r++) for (const backend of BACKENDS) runs.get(backend)!.push(await run(backend));
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** A case's figures on one backend across the runs. */
const figuresOf = (backend: string, i: number) => runs.get(backend)!.map((one) => one[i]!.figure);
const rows = runs.get(BACKENDS[0]!)![0]!;
const width = REPEAT > 1 ? 20 : 10;
if (REPEAT > 1) console.log(`median of ${REPEAT} runs per backend, taking turns (range in brackets)`);
console.log(`${'request'.padEnd(46)} ${BACKENDS.map((b) => b.padStart(width)).join(' ')}  unit     target`);
rows.forEach((row, i) => {
  const cells = BACKENDS.map((b) => {
    const figures = figuresOf(b, i);
    const m = median(figures);
    const range = REPEAT > 1 ? ` (${Math.min(...figures).toFixed(0)}–${Math.max(...figures).toFixed(0)})` : '';
    return `${m.toFixed(0)}${row.meets(m) ? '' : '*'}${range}`.padStart(width);
  });
  console.log(`${row.name.padEnd(46)} ${cells.join(' ')}  ${row.unit.padEnd(8)} ${row.target}`);
});
if (runs.has('sqlite') && runs.has('postgres')) {
  // Issue 7: PostgreSQL within 70 % of SQLite for issuance (medians; and run by run, each PostgreSQL
  // run beside the SQLite run just before it).
  rows.forEach((row, i) => {
    if (!row.name.startsWith('POST /api/v1/credentials') || row.unit === 'ms') return;
    const ratio = median(figuresOf('postgres', i)) / median(figuresOf('sqlite', i));
    const each = REPEAT > 1 ? ` (${figuresOf('postgres', i).map((f, r) => (f / figuresOf('sqlite', i)[r]!).toFixed(2)).join(', ')})` : '';
    console.log(`${`${row.name}: PostgreSQL ÷ SQLite`.padEnd(57)} ${`${ratio.toFixed(2)}${ratio >= 0.7 ? '' : '*'}`.padStart(width)}${each}  ≥ 0.70`);
  });
}
console.log('* target not met');
