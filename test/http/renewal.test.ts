import request from 'supertest';
import { EXAMPLE_BADGE_CLASS_INPUT } from '../../src/http/openapi/examples.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';
import { ob3SchemaErrors } from '../helpers/ob-schema.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * Expiry and renewal, with the clock frozen and moved by hand: a badge valid three years plans its
 * reminders when it is issued (the learner's address kept only encrypted); a sweep at each lead time
 * e-mails the learner and the organisation through a real SMTP server, once, however many sweeps run;
 * a renewal issues a linked credential keeping the original `awardedDate`, leaves the renewed one
 * valid and superseded, and both pages say how they relate; revocation and erasure forget the address.
 */
let t: TestApp;
let smtp: TestSmtpServer;
const T0 = Date.parse('2026-01-10T09:00:00Z');
let clock = T0;
const DAY = 86_400_000;
const LEARNER = 'maria.rossi@example.org';

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'badges@example.org' }, { now: () => new Date(clock), sendMail: true, mail: { busyPauseMs: 0, pollMs: 50 } });
  const badgeClass = { ...EXAMPLE_BADGE_CLASS_INPUT, slug: 'renewable-first-aid', validityPeriod: 'P3Y', renewal: { method: 'reassessment', remindBefore: ['P60D', 'P14D'] } };
  await request(t.app).post('/api/v1/badge-classes').set(auth()).send(badgeClass).expect(201);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

type Json = Record<string, any>;
const auth = () => ({ Authorization: `Bearer ${t.apiKey}` });
const mailsTo = (to: string) => smtp.messages.filter((m) => m.envelope.to[0] === to);
const reminderRow = async (id: string) => (await rawQuery(t, `select * from expiry_reminders where credential_id = '${id}'`))[0] as Json | undefined;
const award = async (recipient: Json, extra: Json = {}) =>
  (await request(t.app).post('/api/v1/credentials').set(auth()).send({ badgeClass: 'renewable-first-aid', recipient, language: 'it', ...extra }).expect(201)).body as Json;

let first: Json;
const validUntil = '2029-01-10T09:00:00Z';

describe('reminders before a badge expires', () => {
  it('are planned with the award, the address kept only encrypted', async () => {
    first = await award({ email: LEARNER, name: 'Maria Rossi' });
    expect(first.credential.validUntil).toBe(validUntil);
    await smtp.waitFor(1);
    const row = (await reminderRow(first.id))!;
    expect(typeof row.due === 'string' ? JSON.parse(row.due) : row.due).toEqual(['2028-11-11T09:00:00.000Z', '2028-12-27T09:00:00.000Z']);
    expect(row.next_due_at).toBe('2028-11-11T09:00:00.000Z');
    expect(row.keep_until).toBe('2029-04-10T09:00:00.000Z');
    // A JWE: five parts, nothing of the address readable.
    expect(String(row.address).split('.')).toHaveLength(5);
    expect(String(row.address)).not.toMatch(/maria|rossi|example/i);
    // Nothing is due yet.
    expect(await t.ctx.reminders.sweep()).toEqual({ reminded: 0, dropped: 0, purged: 0 });
  });

  it('at the first lead time, tell the learner (in the award language) and the organisation, once', async () => {
    clock = Date.parse('2028-11-12T08:00:00Z');
    expect((await t.ctx.reminders.sweep()).reminded).toBe(1);
    expect((await t.ctx.reminders.sweep()).reminded).toBe(0);
    await smtp.waitFor(3);
    const [reminder] = mailsTo(LEARNER).slice(1);
    expect(reminder!.parsed.subject).toBe('Il tuo badge scade il 10 gennaio 2029: Primo soccorso a domicilio');
    const text = reminder!.parsed.text ?? '';
    expect(text).toContain('Ciao Maria Rossi');
    expect(text).toContain(`https://badges.example.org/credentials/${first.id}`);
    // How it is renewed, from the badge class's rule.
    expect(text).toMatch(/valutazione/i);
    const [notice] = mailsTo('badges@example.org');
    expect(notice!.parsed.text).toContain('Maria Rossi');
    expect(notice!.parsed.text).toContain(`https://badges.example.org/credentials/${first.id}`);
    expect((await reminderRow(first.id))!.next_due_at).toBe('2028-12-27T09:00:00.000Z');
  });

  it('at the second, two sweeps at once still send one reminder', async () => {
    clock = Date.parse('2028-12-28T08:00:00Z');
    const [a, b] = await Promise.all([t.ctx.reminders.sweep(), t.ctx.reminders.sweep()]);
    expect(a.reminded + b.reminded).toBe(1);
    await smtp.waitFor(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(LEARNER)).toHaveLength(3);
    expect(mailsTo('badges@example.org')).toHaveLength(2);
    expect((await reminderRow(first.id))!.next_due_at).toBeNull();
  });
});

describe('renewal', () => {
  let renewal: Json;

  it('needs its evidence, and only a badge that expires is renewed', async () => {
    const none = await request(t.app).post(`/api/v1/credentials/${first.id}/renew`).set(auth()).send({}).expect(422);
    expect(none.body.error.details[0].path).toBe('evidence');
    const forever = (await request(t.app).post('/api/v1/credentials').set(auth()).send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'x@example.org' }, notify: false }).expect(201)).body;
    expect((await request(t.app).post(`/api/v1/credentials/${forever.id}/renew`).set(auth()).send({ results: [{ value: 'ok' }] }).expect(409)).body.error.code).toBe('credential_not_renewable');
  });

  it('issues a linked credential that keeps the original award date, sent to the address kept', async () => {
    const before = mailsTo(LEARNER).length;
    clock = Date.parse('2029-01-02T10:00:00Z');
    const res = await request(t.app)
      .post(`/api/v1/credentials/${first.id}/renew`)
      .set(auth())
      .send({ results: [{ value: 'Passed the practical re-assessment' }], language: 'it' })
      .expect(201);
    renewal = res.body;
    expect(renewal.renews).toBe(first.id);
    const c = renewal.credential;
    expect(c.awardedDate).toBe(first.credential.awardedDate);
    expect(c.validFrom).toBe('2029-01-02T10:00:00Z');
    expect(c.validUntil).toBe('2032-01-02T10:00:00Z');
    expect(c.evidence).toEqual([{ type: ['Evidence'], id: `https://badges.example.org/credentials/${first.id}`, genre: 'Renewal of' }]);
    // The same learner: the identity and the name carry over.
    expect(c.credentialSubject.identifier).toEqual(first.credential.credentialSubject.identifier);
    expect(c.credentialSubject.name).toBe('Maria Rossi');
    expect(c.credentialSubject.result.at(-1)).toEqual({ type: ['Result'], value: 'Passed the practical re-assessment' });
    expect(ob3SchemaErrors(c)).toEqual([]);
    await smtp.waitFor(6);
    expect(mailsTo(LEARNER)).toHaveLength(before + 1);
    expect(mailsTo(LEARNER).at(-1)!.parsed.text).toContain(renewal.url);
    // The renewed one's reminders are done; the renewal's are planned, with the address carried over.
    expect(await reminderRow(first.id)).toBeUndefined();
    const next = (await reminderRow(renewal.id))!;
    expect(next.next_due_at).toBe('2031-11-03T10:00:00.000Z');
    expect(String(next.address).split('.')).toHaveLength(5);
  });

  it('leaves the renewed credential valid, superseded, and both pages say how they relate', async () => {
    const old = (await request(t.app).get(`/credentials/${first.id}`).set('Accept', 'text/html').expect(200)).text;
    expect(old).toContain('This badge was renewed on 2 January 2029. It stays valid until its own end date.');
    expect(old).toContain(`href="https://badges.example.org/credentials/${renewal.id}"`);
    expect(old).toMatch(/Verified|genuine/);
    expect(old).not.toContain('Revoked on');
    const status = await request(t.app).get(`/credentials/${first.id}.json`).expect(200);
    expect(status.headers.link).toBe(`<https://badges.example.org/credentials/${renewal.id}>; rel="successor-version"`);
    expect((await request(t.app).post('/verify').send(first.credential).expect(200)).body.verdict).toBe('verified');

    const page = (await request(t.app).get(`/credentials/${renewal.id}`).set('Accept', 'text/html').expect(200)).text;
    expect(page).toContain('This badge renews an earlier one. The badge was first awarded on 10 January 2026.');
    expect(page).toContain(`href="https://badges.example.org/credentials/${first.id}"`);
    expect(page).toContain('Valid for 3 years after it is awarded. It is renewed by taking the assessment again.');
    const it = (await request(t.app).get(`/credentials/${renewal.id}?lang=it`).set('Accept', 'text/html').expect(200)).text;
    expect(it).toContain('10 gennaio 2026');

    expect((await request(t.app).post(`/api/v1/credentials/${first.id}/renew`).set(auth()).send({ results: [{ value: 'again' }] }).expect(409)).body.error.code).toBe('credential_renewed');
  });

  it('once its date is past, the renewed badge shows as expired, the renewal as valid', async () => {
    clock = Date.parse('2029-01-11T09:00:00Z');
    const old = (await request(t.app).get(`/credentials/${first.id}`).set('Accept', 'text/html').expect(200)).text;
    expect(old).toContain('Expired on 10 January 2029');
    const report = (await request(t.app).post('/verify').send(first.credential).expect(200)).body;
    expect(report.verdict).toBe('failed');
    expect(report.checks.filter((c: Json) => c.status === 'failed').map((c: Json) => c.code)).toEqual(['expired']);
    const page = (await request(t.app).get(`/credentials/${renewal.id}`).set('Accept', 'text/html').expect(200)).text;
    expect(page).not.toContain('Expired on');
    expect(page).toContain('Verified');
  });
});

describe('what the reminders keep is forgotten', () => {
  it('with revocation, erasure, and after the keeping time', async () => {
    clock = Date.parse('2029-02-01T09:00:00Z');
    const revoked = await award({ email: 'anna@example.org' }, { notify: false });
    const erased = await award({ email: 'bruno@example.org' });
    const didOnly = await award({ id: 'did:example:carla' });
    // Not e-mailed: nothing to keep; a DID-only learner: no address either.
    expect((await reminderRow(revoked.id))!.address).toBeNull();
    expect((await reminderRow(didOnly.id))!.address).toBeNull();
    expect((await reminderRow(erased.id))!.address).not.toBeNull();
    await request(t.app).post(`/api/v1/credentials/${revoked.id}/revoke`).set(auth()).send({ reason: 'Issued by mistake' }).expect(200);
    await request(t.app).delete(`/api/v1/credentials/${erased.id}`).set(auth()).expect(200);
    expect(await reminderRow(revoked.id)).toBeUndefined();
    expect(await reminderRow(erased.id)).toBeUndefined();
    // The organisation is still told of the DID-only learner's badge; past the keeping time, the row goes.
    clock = Date.parse('2032-01-01T09:00:00Z');
    const swept = await t.ctx.reminders.sweep();
    expect(swept.reminded).toBe(2); // the renewal's and the DID-only badge's
    clock = Date.parse('2032-05-03T09:00:00Z');
    expect((await t.ctx.reminders.sweep()).purged).toBe(2);
    expect(await rawQuery(t, 'select credential_id from expiry_reminders')).toEqual([]);
  });
});
