import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The README promises that a learner's e-mail exists only as a salted hash. The recipient check is
 * therefore a POST, and no e-mail address, nor the salt it is hashed with, reaches a log line,
 * whatever way the address is sent. Logs are captured at `trace`, the most talkative level.
 */
const EMAIL = 'maria.rossi.private@example.org';

let t: TestApp;
let lines: string[];
let app: ReturnType<typeof createApp>;
let id = '';
let salt = '';
let credential: Record<string, unknown>;

beforeAll(async () => {
  t = await startTestApp();
  lines = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  app = createApp({ ...t.ctx, logger: createLogger('trace', sink) });
  const res = await request(app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: EMAIL } }).expect(201);
  id = res.body.id;
  credential = res.body.credential;
  salt = (credential.credentialSubject as { identifier: Array<{ salt: string }> }).identifier[0]!.salt;
});
afterAll(() => t.close());

function expectNoAddressInLogs(): void {
  expect(lines.length).toBeGreaterThan(0);
  const all = lines.join('');
  expect(all).not.toContain(EMAIL);
  expect(all).not.toContain(encodeURIComponent(EMAIL));
  expect(all).not.toContain('maria.rossi.private');
  expect(all).not.toContain(salt);
}

describe('the recipient check', () => {
  it('is a POST from the page form, and the log holds neither the address nor its salt', async () => {
    lines.length = 0;
    const res = await request(app).post(`/credentials/${id}/recipient-check`).set('Accept', 'text/html').type('form').send({ email: EMAIL, lang: 'en' }).expect(200);
    expect(res.text).toContain('This badge was issued to');
    expectNoAddressInLogs();
  });

  it('answers JSON clients with the result only', async () => {
    lines.length = 0;
    const yes = await request(app).post(`/credentials/${id}/recipient-check`).send({ email: EMAIL.toUpperCase() }).expect(200);
    expect(yes.body).toEqual({ matched: true, code: 'recipient_matched' });
    const no = await request(app).post(`/credentials/${id}/recipient-check`).send({ email: 'someone.else@example.org' }).expect(200);
    expect(no.body).toEqual({ matched: false, code: 'recipient_not_matched' });
    expectNoAddressInLogs();
  });

  it('refuses a check without an address with a coded 422', async () => {
    const res = await request(app).post(`/credentials/${id}/recipient-check`).send({}).expect(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'email' }] });
  });

  it('no longer reads an address from the query string of the page', async () => {
    lines.length = 0;
    const res = await request(app).get(`/credentials/${id}?email=${encodeURIComponent(EMAIL)}`).set('Accept', 'text/html').expect(200);
    expect(res.text).not.toContain('This badge was issued to');
    expectNoAddressInLogs();
  });
});

describe('POST /verify with an e-mail address', () => {
  it('keeps the address out of the log, from a multipart form, a JSON body and a stray query string', async () => {
    lines.length = 0;
    const form = await request(app).post('/verify').field('credential', JSON.stringify(credential)).field('email', EMAIL).expect(200);
    expect(form.body.checks.find((c: { id: string }) => c.id === 'recipient')).toMatchObject({ status: 'passed', code: 'recipient_matched' });
    const json = await request(app).post('/verify').send({ credential, email: EMAIL }).expect(200);
    expect(json.body.checks.find((c: { id: string }) => c.id === 'recipient').code).toBe('recipient_matched');
    // The report itself does not repeat the address either.
    expect(JSON.stringify(json.body.checks)).not.toContain(EMAIL);
    await request(app).post(`/verify?email=${encodeURIComponent(EMAIL)}`).send(credential).expect(200);
    expectNoAddressInLogs();
  });

  it('takes no address from the query string', async () => {
    const res = await request(app).post(`/verify?email=${encodeURIComponent(EMAIL)}`).send(credential).expect(200);
    expect(res.body.checks.find((c: { id: string }) => c.id === 'recipient').code).toBe('not_requested');
  });
});
