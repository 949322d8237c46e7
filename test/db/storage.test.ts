import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import request from 'supertest';
import { openDatabase } from '../../src/db/client.js';
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
