import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/db/open.js';
import { generateMissingKeys } from '../../src/keys/key-store.js';
import { addProviderTo } from '../helpers/app.js';
import { PROCESS_BACKENDS } from '../helpers/backends.js';
import { startInstance } from '../helpers/instance.js';

/**
 * `kill -9` in the middle of issuance, on both backends: every credential answered with 201 before
 * the kill is still there after a restart, and nothing is half written (a credential without its
 * status entry, an idempotency record naming a credential that is not stored).
 */

describe.each(PROCESS_BACKENDS)('kill -9 during issuance on $name', (backend) => {
  it('loses no answered credential and leaves no half-written award', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kill-9-'));
    const db = await backend.setup(dir);
    try {
      const keysDir = join(dir, 'keys');
      await generateMissingKeys(keysDir);
      const env: Record<string, string> = { ...db.env, KEYS_DIR: keysDir, DATA_DIR: db.env.DATA_DIR ?? join(dir, 'data'),  PUBLIC_URL: 'https://badges.example.org', NODE_ENV: 'development' };
      const { storage } = await openStorage({ dataDir: env.DATA_DIR!, ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}) });
      const apiKey = await addProviderTo(storage, keysDir, 'Provider');
      await storage.close();

      const instance = await startInstance(env);
      const answered: string[] = [];
      const send = async (i: number) => {
        try {
          const res = await fetch(`${instance.base}/api/v1/credentials/batch`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': `batch-${i}` },
            body: JSON.stringify({ awards: Array.from({ length: 5 }, () => ({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'learner@example.org' } })) }),
          });
          if (res.status === 201) answered.push(...((await res.json()) as { credentials: Array<{ id: string }> }).credentials.map((c) => c.id));
        } catch {
          // cut off by the kill
        }
      };
      const traffic = Promise.all(Array.from({ length: 30 }, (_, i) => send(i)));
      // Kill once some batches have been answered and others are still being signed or stored (a busy
      // machine may take seconds for the first answers: the service's threads start on demand).
      for (let i = 0; i < 1000 && answered.length < 10; i++) await new Promise((r) => setTimeout(r, 20));
      await instance.stop('SIGKILL');
      await traffic;
      expect(answered.length).toBeGreaterThan(0);

      const restarted = await startInstance(env);
      try {
        for (const id of answered) expect((await fetch(`${restarted.base}/credentials/${id}.json`)).status).toBe(200);
      } finally {
        await restarted.stop();
      }
      // Whole awards only: every credential has its status entry, every idempotency record its credentials.
      expect(await db.query('select c.id from credentials c left join credential_statuses s on s.credential_id = c.id where s.credential_id is null')).toEqual([]);
      const records = await db.query('select credential_ids from idempotency_keys');
      const stored = new Set((await db.query('select id from credentials')).map((r) => String(r.id)));
      for (const r of records) {
        const ids = (typeof r.credential_ids === 'string' ? JSON.parse(r.credential_ids) : r.credential_ids) as string[];
        expect(ids.every((id) => stored.has(id))).toBe(true);
      }
      expect(stored.size % 5).toBe(0);
    } finally {
      await db.done();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
