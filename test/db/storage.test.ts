import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { openDatabase } from '../../src/db/client.js';
import { createSqliteStorage } from '../../src/db/sqlite/storage.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp } from '../helpers/app.js';

describe('the SQLite database', () => {
  it('is a real file in DATA_DIR, in WAL mode, with every migration applied once', async () => {
    const t = await startTestApp();
    try {
      const sqlite = t.ctx.sqlite!.$client;
      expect(sqlite.name).toBe(`${t.config.dataDir}/badges.sqlite`);
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      const migrations = readdirSync(new URL('../../drizzle/', import.meta.url)).filter((f) => f.endsWith('.sql'));
      const applied = sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
      expect(applied.n).toBe(migrations.length);
      // Opening again (a restart) applies nothing twice and keeps the data.
      const again = openDatabase(t.config.dataDir);
      expect((again.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n).toBe(migrations.length);
      expect((again.$client.prepare('select count(*) as n from providers').get() as { n: number }).n).toBe(1);
      again.$client.close();
    } finally {
      t.close();
    }
  });
});

describe('the write-ahead log', () => {
  it('is checkpointed by a thread of its own: the log stays small although commits no longer checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wal-'));
    const db = openDatabase(dir);
    const storage = createSqliteStorage(db, { checkpointInBackground: true });
    try {
      // The commits themselves would checkpoint only past 20,000 pages (80 MB).
      expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
      const createdAt = '2026-01-01T00:00:00Z';
      await storage.organisations.insertOrganisation({ id: 'p', slug: 'p', name: 'P', profile: {}, isInstance: false, createdAt }, [], { id: 'k', orgId: 'p', keyHash: 'h', keyPrefix: 'obk_', badgeClasses: ['*'], createdAt });
      await storage.status.createList({ id: 'l', orgId: 'p', purpose: 'revocation', size: 131072, createdAt });
      const document = 'x'.repeat(8_000);
      // Ten bursts of 100 credentials (over 2 MB each), with pauses in which the thread checkpoints.
      for (let burst = 0; burst < 10; burst++) {
        for (let i = 0; i < 100; i++) {
          const id = `c${burst}-${i}`;
          await storage.insertIssued({
            credentials: [{ id, orgId: 'p', badgeClass: 'b', badgeClassVersion: '1', language: 'en', issuedAt: createdAt, validUntil: null, document, jwt: null }],
            entries: [{ credentialId: id, listId: 'l', statusIndex: burst * 100 + i }],
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      // Over 20 MB went through the log; once copied, each burst starts it again from its beginning.
      expect(statSync(join(dir, 'badges.sqlite-wal')).size).toBeLessThan(8 * 1024 * 1024);
      expect(statSync(join(dir, 'badges.sqlite')).size).toBeGreaterThan(8 * 1024 * 1024);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('logs', () => {
  it('are JSON lines that never contain the API key', async () => {
    const t = await startTestApp();
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    try {
      const app = createApp({ ...t.ctx, logger: createLogger('info', sink) });
      const slug = t.ctx.catalog.list()[0]!.badgeClass.slug;
      await request(app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: slug, recipient: { email: 'a@example.org' } }).expect(201);
      await request(app).get('/api/v1/credentials').set('Authorization', 'Bearer obk_wrong').expect(401);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      const all = lines.join('');
      expect(all).toContain('/api/v1/credentials');
      expect(all).not.toContain(t.apiKey);
      expect(all).not.toContain('obk_wrong');
    } finally {
      t.close();
    }
  });
});
