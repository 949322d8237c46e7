/**
 * Throughput over HTTP on loopback: the real app on a real server, driven by autocannon (its client
 * in the same machine, another process's worth of work on the same 2 cores). Each line prints the
 * figure beside the target issue 7 sets for it. It reports; it exits 0 either way.
 *   npx tsx bench/http.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { closeAppContext, createAppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/http/app.js';
import { generateMissingKeys, loadKeys } from '../src/keys/key-store.js';
import { createLogger } from '../src/logger.js';
import { createGuardedFetcher, type LookupAll } from '../src/net/guarded-fetch.js';

const SECONDS = 5;
const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://badges.example.org', DATA_DIR: join(dir, 'data'), KEYS_DIR: join(dir, 'keys'), LOG_LEVEL: 'silent', RATE_LIMITS: 'off' });
await generateMissingKeys(config.keysDir);
const unresolvable: LookupAll = (hostname, _options, callback) => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
const ctx = await createAppContext({ config, logger: createLogger('silent'), keys: await loadKeys(config.keysDir), fetcher: createGuardedFetcher({}, { lookup: unresolvable }) });
const server = createApp(ctx).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const { apiKey } = await ctx.providers.addProvider('Bench', ['*']);
const slug = ctx.catalog.list()[0]!.badgeClass.slug;
const issued = (await (
  await fetch(`${base}/api/v1/credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ badgeClass: slug, recipient: { email: 'learner@example.org', name: 'Learner' } }),
  })
).json()) as { id: string; credential: unknown };

interface Case {
  name: string;
  target: string;
  minimum: number;
  options: Partial<autocannon.Options>;
}
const cases: Case[] = [
  { name: 'GET badge.png', target: '≥ 3,000/s', minimum: 3000, options: { url: `${base}/credentials/${issued.id}/badge.png`, connections: 8 } },
  { name: 'GET credential page (HTML)', target: '≥ 2,000/s', minimum: 2000, options: { url: `${base}/credentials/${issued.id}`, connections: 8, headers: { accept: 'text/html' } } },
  {
    name: 'POST /verify, a credential of ours',
    target: '≥ 500/s',
    minimum: 500,
    options: { url: `${base}/verify`, connections: 8, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(issued.credential) },
  },
  {
    name: 'POST /api/v1/credentials, concurrency 8',
    target: '≥ 1,000/s',
    minimum: 1000,
    options: {
      url: `${base}/api/v1/credentials`,
      connections: 8,
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ badgeClass: slug, recipient: { email: 'learner@example.org' } }),
    },
  },
];

console.log(`HTTP on loopback, autocannon, ${SECONDS} s per line, 2 cores shared by client and server`);
console.log(`${'request'.padEnd(42)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'non-2xx'.padStart(8)}  target`);
for (const c of cases) {
  const result = await autocannon({ duration: SECONDS, ...c.options } as autocannon.Options);
  const rate = result.requests.average;
  console.log(
    `${c.name.padEnd(42)} ${rate.toFixed(0).padStart(8)} ${String(result.latency.p50).padStart(7)} ${String(result.latency.p99).padStart(7)} ${String(result.non2xx).padStart(8)}  ${c.target} ${rate >= c.minimum ? 'met' : 'NOT MET'}`,
  );
}

server.close();
closeAppContext(ctx);
rmSync(dir, { recursive: true, force: true });
