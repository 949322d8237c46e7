import { readdirSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** The nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // The command name may hold spaces: fields are counted after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const linux = process.platform === 'linux';
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SIGNING_THREADS: '1', VERIFY_THREADS: '1' });
});
afterAll(() => t.close());

(linux ? it : it.skip)('signing and verifier threads run below the event loop, which keeps its priority', async () => {
  const mainNice = niceByThread().get(process.pid)!;
  const issued = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: t.ctx.catalog.list()[0]!.badgeClass.slug, recipient: { email: 'a@example.org' } }).expect(201);
  await request(t.app).post('/verify').send({ credential: issued.body.credential }).expect(200);
  const after = niceByThread();
  expect(after.get(process.pid)).toBe(mainNice);
  // One signing thread and one verifier thread (each pool has one here), lowered.
  const lowered = [...after].filter(([, nice]) => nice >= Math.max(mainNice, 10));
  expect(lowered.length).toBeGreaterThanOrEqual(2);
  expect(lowered.map(([tid]) => tid)).not.toContain(process.pid);
});
