import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/db/open.js';
import { generateMissingKeys } from '../../src/keys/key-store.js';
import { addProviderTo } from '../helpers/app.js';
import { PROCESS_BACKENDS } from '../helpers/backends.js';
import { startInstance, type Instance } from '../helpers/instance.js';
import { startSmtpServer } from '../helpers/smtp.js';

/**
 * The service killed (`kill -9`) in the middle of a 500-row spreadsheet job, and again in the middle
 * of its e-mails, and started again each time, on both backends: the job finishes with every row
 * issued once, and every learner gets their message. SMTP cannot be exactly-once across a crash (a message the server accepted just
 * before the kill, not yet marked sent, is sent again); such a message goes again with its one
 * Message-ID, so each learner has one message, however many copies the server saw.
 */
const ROWS = 500;


const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.each(PROCESS_BACKENDS)('a restart in the middle of a spreadsheet job on $name', (backend) => {
  it('finishes the job and its e-mails: nothing lost, nothing issued twice, one message per learner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-restart-'));
    const db = await backend.setup(dir);
    const smtp = await startSmtpServer();
    let instance: Instance | undefined;
    try {
      const keysDir = join(dir, 'keys');
      await generateMissingKeys(keysDir);
      const env: Record<string, string> = {
        ...db.env,
        KEYS_DIR: keysDir,
        DATA_DIR: db.env.DATA_DIR ?? join(dir, 'data'),
        PUBLIC_URL: 'https://badges.example.org',
        NODE_ENV: 'development',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'badges@example.org',
        JOB_LOCK_SECONDS: '5',
        MAIL_LOCK_SECONDS: '30',
      };
      const { storage } = await openStorage({ dataDir: env.DATA_DIR!, ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}) });
      const apiKey = await addProviderTo(storage, keysDir, 'Provider');
      await storage.close();
      const auth = { authorization: `Bearer ${apiKey}` };

      instance = await startInstance(env);
      const sheet = ['email,name,language', ...Array.from({ length: ROWS }, (_, i) => `learner${i}@example.org,Learner ${i},it`)].join('\n');
      const created = await fetch(`${instance.base}/api/v1/issuance-jobs?badgeClass=carer-plus-digital-communication&confirm=true`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: sheet });
      expect(created.status).toBe(201);
      const job = (await created.json()) as { id: string; state: string; valid: number };
      expect([job.state, job.valid]).toEqual(['queued', ROWS]);
      const progress = async (base: string) => (await (await fetch(`${base}/api/v1/issuance-jobs/${job.id}`, { headers: auth })).json()) as { state: string; issued: number; failed: number };

      // Killed first in the middle of the job: a fifth of the rows issued, the rest to come.
      const first = instance.base;
      await until('a fifth of the rows', async () => ((await progress(first)).issued >= ROWS / 5 ? true : undefined), 120_000);
      await instance.stop('SIGKILL');
      const issuedAtKill = Number((await db.query('select count(*) as n from credentials'))[0]!.n);
      expect(issuedAtKill).toBeLessThan(ROWS);

      // Then in the middle of its e-mails: some sent, more claimed or still queued.
      instance = await startInstance(env);
      await until('some of the e-mails', async () => (smtp.messages.length >= 20 ? true : undefined), 180_000);
      await instance.stop('SIGKILL');
      expect(new Set(smtp.messages.flatMap((m) => m.envelope.to)).size).toBeLessThan(ROWS);

      instance = await startInstance(env);
      const restarted = instance.base;
      const done = await until('the job to finish', async () => {
        const p = await progress(restarted);
        return p.state === 'done' ? p : undefined;
      }, 180_000);
      expect(done).toMatchObject({ state: 'done', issued: ROWS, failed: 0 });
      const received = await until('every learner’s message', async () => {
        const learners = new Set(smtp.messages.flatMap((m) => m.envelope.to));
        return learners.size >= ROWS ? smtp.messages : undefined;
      }, 180_000);

      // Issued once: 500 credentials, one per row, each row naming its own.
      expect(Number((await db.query('select count(*) as n from credentials'))[0]!.n)).toBe(ROWS);
      const rows = await db.query(`select credential_id from issuance_job_rows where job_id = '${job.id}'`);
      expect(new Set(rows.map((r) => r.credential_id)).size).toBe(ROWS);
      // One message per learner: copies of a message the server took just before the kill share its Message-ID.
      const idsByLearner = new Map<string, Set<string>>();
      for (const m of received) for (const to of m.envelope.to) idsByLearner.set(to, (idsByLearner.get(to) ?? new Set()).add(m.parsed.messageId ?? ''));
      expect(idsByLearner.size).toBe(ROWS);
      expect([...idsByLearner.values()].filter((ids) => ids.size !== 1)).toEqual([]);
      // At most the batches claimed at the two kills went twice.
      expect(received.length - ROWS).toBeLessThanOrEqual(20);
      const outbox = await db.query("select state, count(*) as n from outbox where kind = 'award' group by state");
      expect(outbox.map((r) => [r.state, Number(r.n)])).toEqual([['sent', ROWS]]);
      // And nothing of the learners is left in the job.
      expect(await db.query(`select row_number from issuance_job_rows where job_id = '${job.id}' and award is not null`)).toEqual([]);
    } finally {
      await instance?.stop();
      await smtp.close();
      await db.done();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 420_000);
});
