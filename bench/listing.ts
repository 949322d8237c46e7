/**
 * Listing at depth, on its own: N rows of one provider written straight through the repositories
 * (documents of a real credential's size, unsigned, so that it takes a minute rather than the half
 * hour of bench/growth.ts), then 200 keyset pages of 50 at the first page, the middle and the end.
 * Target: p99 ≤ 20 ms at any depth.
 *   npx tsx bench/listing.ts [--count 100000] [--backend sqlite|postgres|both]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.js';
import { openPostgres } from '../src/db/postgres/client.js';
import { createPostgresStorage } from '../src/db/postgres/storage.js';
import type { Storage } from '../src/db/repositories.js';
import { createSqliteStorage } from '../src/db/sqlite/storage.js';
import { startPostgres } from './lib/postgres.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, backend: { type: 'string', default: 'both' } } });
const N = Number(values.count);
const backends = values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend!];
const DOCUMENT = 'x'.repeat(9000);
const JWT = 'j'.repeat(12000);

async function measure(storage: Storage): Promise<string[]> {
  const createdAt = '2026-01-01T00:00:00Z';
  await storage.organisations.insertOrganisation({ id: 'p', slug: 'p', name: 'P', profile: {}, isInstance: false, createdAt }, [], { id: 'k', orgId: 'p', keyHash: 'h', keyPrefix: 'cb_', badgeClasses: ['*'], createdAt });
  for (let b = 0; b < N / 1000; b++) {
    // A batch of 1000 shares its issuedAt, as batch issuance does: the id breaks the ties.
    const issuedAt = new Date(Date.UTC(2026, 0, 1) + b * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: `${b}-${i}-${Math.random().toString(16).slice(2)}`, orgId: 'p', badgeClass: 'b', badgeClassVersion: '1', language: 'en', issuedAt, validUntil: null, document: DOCUMENT, jwt: JWT }));
    await storage.transaction((tx) => tx.credentials.insert(rows));
  }
  const lines: string[] = [];
  for (const [name, depth] of [['first page', 0], ['middle', N / 2], ['last page', N - 50]] as const) {
    const [position] = (await storage.credentials.list('p', { limit: 1, offset: Math.max(0, depth - 1) })).items;
    const after = depth && position ? { after: { issuedAt: position.issuedAt, id: position.id } } : {};
    const times: number[] = [];
    for (let r = 0; r < 200; r++) {
      const start = performance.now();
      const page = await storage.credentials.list('p', { limit: 50, ...after });
      times.push(performance.now() - start);
      if (page.items.length !== 50) throw new Error(`a page of ${page.items.length} rows at ${name}`);
    }
    times.sort((a, b) => a - b);
    const p99 = times[197]!;
    lines.push(`  keyset, ${name.padEnd(10)} (row ${depth.toLocaleString('en')})`.padEnd(44) + `p50 ${times[100]!.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  target ≤ 20 ms ${p99 <= 20 ? 'met' : 'NOT MET'}`);
  }
  return lines;
}

console.log(`Listing one provider's ${N.toLocaleString('en')} credentials, 50 a page, 200 requests a line (repositories, no HTTP)`);
for (const backend of backends) {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-listing-'));
    const storage = createSqliteStorage(openDatabase(dir));
    console.log('SQLite');
    for (const line of await measure(storage)) console.log(line);
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  } else {
    const server = await startPostgres();
    const storage = createPostgresStorage(await openPostgres(server.url));
    console.log('PostgreSQL');
    for (const line of await measure(storage)) console.log(line);
    await storage.close();
    await server.stop();
  }
}
