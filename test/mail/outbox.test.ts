import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLogger } from '../../src/logger.js';
import { RETRY_DELAYS_MS } from '../../src/mail/outbox.js';
import { PUBLIC_URL, rawQuery, startTestApp, type TestApp, type TestAppOptions } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * The outbox end to end: awards issued through the API arrive at a real SMTP server (on 127.0.0.1,
 * started here) in the award's language, with the credential's page and its baked badge; refusals are
 * retried or given up as the server's reply says; a restart in the middle of a batch, or two instances
 * sending from one database, deliver every message exactly once. The clock is injected and moved by hand.
 */

const START = Date.parse('2027-03-14T09:00:00.000Z');
let clock = START;
const now = () => new Date(clock);
const BADGE_CLASS = 'i-care-intercultural-competence';
const LEARNER = 'ion.popescu.private@example.org';
const NAMES = (JSON.parse(readFileSync(new URL(`../../badge-classes/${BADGE_CLASS}.json`, import.meta.url), 'utf8')) as { name: Record<string, string> }).name;

let smtp: TestSmtpServer;
let logs: string[];
const apps: TestApp[] = [];

beforeEach(async () => {
  clock = START;
  logs = [];
  smtp = await startSmtpServer();
});

afterEach(async () => {
  for (const t of apps.splice(0)) await t.close();
  await smtp.close();
});

/** A test app that sends through the test's SMTP server, polling often; its log lines go to `lines`. */
async function sendingApp(env: Record<string, string> = {}, options: TestAppOptions = {}, lines: string[] = logs): Promise<TestApp> {
  const t = await startTestApp(
    { SMTP_URL: smtp.url, MAIL_FROM: 'Care Skills Badges <badges@example.org>', ...env },
    { now, sendMail: true, mail: { pollMs: 20 }, logger: createLogger('debug', { write: (line: string) => void lines.push(line) }), ...options },
  );
  apps.push(t);
  return t;
}

async function closeApp(t: TestApp): Promise<void> {
  apps.splice(apps.indexOf(t), 1);
  await t.close();
}

const award = (t: TestApp, body: Record<string, unknown>) => request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: BADGE_CLASS, ...body }).expect(201);

const awardBatch = (t: TestApp, emails: string[]) =>
  request(t.app)
    .post('/api/v1/credentials/batch')
    .set('Authorization', `Bearer ${t.apiKey}`)
    .send({ awards: emails.map((email) => ({ badgeClass: BADGE_CLASS, recipient: { email } })) })
    .expect(201);

/** Waits until `probe` gives a value `ok` accepts; fails naming what it waited for. */
async function until<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; last: ${JSON.stringify(value)}`);
    await pause(15);
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const deliveryOf = async (t: TestApp, id: string) => (await t.ctx.storage.outbox.deliveryOf([id]))[0];
const queued = async (t: TestApp) => (await rawQuery(t, "select count(*) as n from outbox where state = 'queued'"))[0]!.n;

describe('the learner\'s e-mail on award', () => {
  it('arrives in the award\'s language with the credential\'s page, and the attached PNG verifies', async () => {
    const t = await sendingApp();
    const res = await award(t, { recipient: { email: LEARNER, name: 'Ion Popescu' }, language: 'ro' });
    const [mail] = await smtp.waitFor(1);
    const parsed = mail!.parsed;
    expect(mail!.envelope).toEqual({ from: 'badges@example.org', to: [LEARNER] });
    expect(NAMES.ro).not.toBe(NAMES.en);
    expect(parsed.subject).toBe(`Ați primit o insignă de la Test Care Academy: ${NAMES.ro}`);
    expect(parsed.html).toContain('<html lang="ro" dir="ltr">');
    const page = `${PUBLIC_URL}/credentials/${res.body.id as string}`;
    expect(page).toBe(res.body.url);
    expect(parsed.text).toContain(`Deschideți insigna: ${NAMES.ro}\n${page}\n`);
    expect(parsed.html).toContain(`<a href="${page}"`);
    expect(parsed.text).toContain('Ion Popescu');
    expect((Array.isArray(parsed.replyTo) ? parsed.replyTo[0] : parsed.replyTo)?.value[0]?.address).toBe('badges@example.org');
    // One Message-ID per outbox row, on the instance's host.
    const [row] = await rawQuery(t, 'select id, message_id from outbox');
    expect(parsed.messageId).toBe(`<${row!.id as string}@badges.example.org>`);

    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['badge.png', 'image/png']]);
    const verified = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(parsed.attachments[0]!.content).expect(200);
    expect(verified.body).toMatchObject({ verdict: 'verified', verified: true, credential: { id: res.body.url } });

    const state = await until('the message marked sent', () => deliveryOf(t, res.body.id), (s) => s?.state === 'sent');
    expect(state).toEqual({ credentialId: res.body.id, state: 'sent', attempts: 1, lastError: null, nextAttemptAt: now().toISOString(), sentAt: now().toISOString() });
    expect((await rawQuery(t, 'select message_id from outbox'))[0]!.message_id).toBe(parsed.messageId);
  });

  it('sends nothing for an award that says "notify": false', async () => {
    const t = await sendingApp();
    const silent = await award(t, { recipient: { email: 'quiet.learner@example.org' }, notify: false });
    const told = await award(t, { recipient: { email: LEARNER } });
    await smtp.waitFor(1);
    await until('the outbox to empty', () => queued(t), (n) => Number(n) === 0);
    await pause(100);
    expect(smtp.messages.map((m) => m.envelope.to)).toEqual([[LEARNER]]);
    expect(await t.ctx.storage.outbox.deliveryOf([silent.body.id, told.body.id])).toEqual([expect.objectContaining({ credentialId: told.body.id, state: 'sent' })]);
  });

  it('tries again after a refusal for now (4xx), when its time comes, and delivers once', async () => {
    const t = await sendingApp();
    smtp.rejectNext(1, { code: 451, message: `4.2.0 Mailbox ${LEARNER} is busy`, at: 'data' });
    const res = await award(t, { recipient: { email: LEARNER } });
    const deferred = await until('the first attempt to be refused', () => deliveryOf(t, res.body.id), (s) => s?.attempts === 1);
    expect(smtp.rejectedCount()).toBe(1);
    expect(deferred).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: new Date(START + RETRY_DELAYS_MS[0]!).toISOString() });
    expect(deferred!.lastError).toMatch(/^deferred: .*451.*\[address\] is busy/);
    expect(deferred!.lastError).not.toContain(LEARNER);

    // Not before its time (the sender keeps polling meanwhile)...
    clock = START + RETRY_DELAYS_MS[0]! - 1;
    await pause(150);
    expect(smtp.messages).toHaveLength(0);
    // ...and once it has come.
    clock = START + RETRY_DELAYS_MS[0]!;
    await smtp.waitFor(1);
    await until('the message marked sent', () => deliveryOf(t, res.body.id), (s) => s?.state === 'sent');
    clock += RETRY_DELAYS_MS[1]! * 10;
    await pause(150);
    expect(smtp.messages).toHaveLength(1);
    expect(await deliveryOf(t, res.body.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('gives up at once when the server refuses for good (5xx), and keeps no address', async () => {
    const t = await sendingApp();
    smtp.rejectNext(1, { code: 550, message: `5.1.1 <${LEARNER}>: no such user`, at: 'rcpt' });
    const res = await award(t, { recipient: { email: LEARNER, name: 'Ion Popescu' } });
    const failed = await until('the message given up', () => deliveryOf(t, res.body.id), (s) => s?.state === 'failed');
    expect(failed).toMatchObject({ attempts: 1, sentAt: null });
    expect(failed!.lastError).toMatch(/^invalid_recipient: .*550/);
    const rows = await rawQuery(t, 'select * from outbox');
    expect(rows.map((r) => [r.state, r.recipient, r.payload])).toEqual([['failed', null, null]]);
    expect(JSON.stringify(rows)).not.toContain(LEARNER);
    clock += 7 * 24 * 3600_000;
    await pause(150);
    expect(smtp.messages).toHaveLength(0);
  });

  it('writes no address to the log, whatever happens to the messages', async () => {
    const t = await sendingApp();
    const other = 'maria.rossi.private@example.org';
    smtp.rejectNext(1, { code: 451, message: `Mailbox ${LEARNER} is busy`, at: 'data' });
    await award(t, { recipient: { email: LEARNER, name: 'Ion Popescu' } });
    await award(t, { recipient: { email: other }, language: 'it' });
    await until('one refusal', async () => smtp.rejectedCount(), (n) => n === 1);
    clock += RETRY_DELAYS_MS[0]!;
    await smtp.waitFor(2);
    await until('the outbox to empty', () => queued(t), (n) => Number(n) === 0);

    const all = logs.join('');
    expect(logs.filter((l) => l.includes('"msg":"mail sent"'))).toHaveLength(2);
    expect(logs.filter((l) => l.includes('"msg":"mail deferred: it will be tried again"'))).toHaveLength(1);
    for (const address of [LEARNER, other]) {
      expect(all).not.toContain(address);
      expect(all).not.toContain(address.split('@')[0]);
    }
  });

  it('gives up quietly on the message of a credential revoked or gone before it was sent', async () => {
    const t = await sendingApp({}, { sendMail: false });
    const at = now().toISOString();
    const gone = '00000000-0000-4000-8000-000000000000';
    await t.ctx.storage.outbox.insert([{ id: 'gone', orgId: t.ctx.instance.id, kind: 'award', credentialId: gone, recipient: LEARNER, language: 'en', payload: null, createdAt: at, nextAttemptAt: at }]);
    const revoked = await award(t, { recipient: { email: 'revoked.learner@example.org' } });
    await request(t.app).post(`/api/v1/credentials/${revoked.body.id as string}/revoke`).set('Authorization', `Bearer ${t.apiKey}`).send({ reason: 'issued in error' }).expect(200);
    t.ctx.mail.start();

    const states = await until('both messages given up', () => t.ctx.storage.outbox.deliveryOf([gone, revoked.body.id]), (s) => s.length === 2 && s.every((m) => m.state === 'failed'));
    expect(new Map(states.map((m) => [m.credentialId, m.lastError?.split(':')[0]]))).toEqual(new Map([[gone, 'credential_unavailable'], [revoked.body.id, 'credential_revoked']]));
    expect(smtp.messages).toHaveLength(0);
    // Quietly: nothing at warn level or above (pino: 40).
    expect(logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 40)).toEqual([]);
    expect(logs.filter((l) => l.includes('"msg":"mail given up"'))).toHaveLength(2);
  });
});

describe('console messages', () => {
  it('go through the outbox too: an invitation and a password reset arrive with their links', async () => {
    const t = await sendingApp();
    const expiresAt = new Date(START + 7 * 24 * 3600_000).toISOString();
    await t.ctx.mail.invitation({ to: 'new.colleague@example.org', link: `${PUBLIC_URL}/console/invitations/tok-1`, expiresAt, orgId: t.ctx.instance.id, organisation: 'Test Care Academy', role: 'issuer', language: 'it' });
    await t.ctx.mail.passwordReset({ to: 'forgetful@example.org', link: `${PUBLIC_URL}/console/reset/tok-2`, language: 'de' });
    const mails = await smtp.waitFor(2);
    const byRecipient = new Map(mails.map((m) => [m.envelope.to[0], m.parsed]));
    expect(byRecipient.get('new.colleague@example.org')?.subject).toBe('Invito a far parte di Test Care Academy');
    expect(byRecipient.get('new.colleague@example.org')?.text).toContain(`${PUBLIC_URL}/console/invitations/tok-1`);
    expect(byRecipient.get('forgetful@example.org')?.subject).toBe('Neues Passwort wählen');
    expect(byRecipient.get('forgetful@example.org')?.text).toContain(`${PUBLIC_URL}/console/reset/tok-2`);
    await until('the outbox to empty', () => queued(t), (n) => Number(n) === 0);
    const rows = await rawQuery(t, 'select state, recipient, payload from outbox');
    expect(rows).toEqual([
      { state: 'sent', recipient: null, payload: null },
      { state: 'sent', recipient: null, payload: null },
    ]);
  });

  it('gives up an invitation whose link expired before it could be sent', async () => {
    const t = await sendingApp({}, { sendMail: false });
    await t.ctx.mail.invitation({ to: 'late@example.org', link: `${PUBLIC_URL}/console/invitations/tok-3`, expiresAt: new Date(START + 3600_000).toISOString(), orgId: t.ctx.instance.id, organisation: 'Test Care Academy', role: 'viewer', language: 'en' });
    clock += 2 * 3600_000;
    t.ctx.mail.start();
    const [row] = await until('the invitation given up', () => rawQuery(t, 'select state, last_error from outbox'), (rows) => rows[0]?.state === 'failed');
    expect(row!.last_error).toMatch(/^link_expired: /);
    expect(smtp.messages).toHaveLength(0);
  });
});

/** Both backends: a SQLite file in a folder of the test's, or a PostgreSQL database of its own. */
const BACKENDS = [
  {
    name: 'SQLite',
    async database() {
      const dir = mkdtempSync(join(tmpdir(), 'outbox-restart-'));
      return { env: { DATA_DIR: join(dir, 'data') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    async database() {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
    },
  },
];

describe.each(BACKENDS)('exactly once on $name', (backend) => {
  let database: Awaited<ReturnType<(typeof BACKENDS)[number]['database']>>;
  beforeEach(async () => {
    database = await backend.database();
  });
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
    await database.drop();
  });

  const learners = (n: number) => Array.from({ length: n }, (_, i) => `learner${String(i).padStart(2, '0')}@example.org`);
  const expectEachOnce = (emails: string[]) => {
    expect(smtp.messages).toHaveLength(emails.length);
    expect(new Set(smtp.messages.map((m) => m.parsed.messageId)).size).toBe(emails.length);
    expect(smtp.messages.map((m) => m.envelope.to.join(',')).sort()).toEqual(emails);
  };

  it('finishes a batch after a restart in its middle: nothing lost, nothing sent twice', async () => {
    const emails = learners(30);
    const first = await sendingApp(database.env, { mail: { pollMs: 20, batchSize: 4 } });
    await awardBatch(first, emails);
    await smtp.waitFor(10);
    await closeApp(first);
    const before = smtp.messages.length;
    expect(before).toBeGreaterThanOrEqual(10);
    expect(before).toBeLessThan(30);

    const second = await sendingApp(database.env, { sendMail: false });
    // Stopping gave back what it had claimed and not tried: nothing waits for a lock to run out.
    const left = await rawQuery(second, "select count(*) as n, count(locked_until) as locked from outbox where state = 'queued'");
    expect(left.map((r) => [Number(r.n), Number(r.locked)])).toEqual([[30 - before, 0]]);
    second.ctx.mail.start();
    await smtp.waitFor(30);
    await until('the outbox to empty', () => queued(second), (n) => Number(n) === 0);
    await pause(100);
    expectEachOnce(emails);
  });

  it('delivers each message once when two instances send from one database at the same time', async () => {
    const emails = learners(24);
    const linesA: string[] = [];
    const linesB: string[] = [];
    const a = await sendingApp(database.env, { sendMail: false, mail: { pollMs: 20, batchSize: 3 } }, linesA);
    await awardBatch(a, emails);
    const b = await sendingApp(database.env, { sendMail: false, mail: { pollMs: 20, batchSize: 3 } }, linesB);
    a.ctx.mail.start();
    b.ctx.mail.start();
    await smtp.waitFor(24);
    await until('the outbox to empty', () => queued(a), (n) => Number(n) === 0);
    await pause(100);
    expectEachOnce(emails);
    // Both took part.
    const sentBy = (lines: string[]) => lines.filter((l) => l.includes('"msg":"mail sent"')).length;
    expect([sentBy(linesA), sentBy(linesB)].every((n) => n > 0)).toBe(true);
    expect(sentBy(linesA) + sentBy(linesB)).toBe(24);
  });
});
