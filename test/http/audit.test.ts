import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The activity log records who awarded and revoked through the API: one entry per request, written
 * with the credentials themselves, naming the API key and the credentials, never the learner.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const award = { badgeClass: 'carer-plus-digital-communication', recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' }, language: 'it' };
const auth = () => ({ Authorization: `Bearer ${t.apiKey}` });

it('records each award, batch and revocation made with an API key, and a replay not again', async () => {
  const keyId = (await t.ctx.apiKeys.authenticate(t.apiKey))!.apiKeyId;
  const one = await request(t.app).post('/api/v1/credentials').set(auth()).set('Idempotency-Key', 'audit-1').send(award).expect(201);
  await request(t.app).post('/api/v1/credentials').set(auth()).set('Idempotency-Key', 'audit-1').send(award).expect(201);
  const batch = await request(t.app).post('/api/v1/credentials/batch').set(auth()).send({ awards: [award, { ...award, recipient: { email: 'ion@example.org' } }] }).expect(201);
  await request(t.app).post(`/api/v1/credentials/${one.body.id as string}/revoke`).set(auth()).send({ reason: 'issued in error' }).expect(200);

  const entries = (await t.ctx.accounts.auditOf(t.ctx.instance.id, { limit: 10 })).reverse();
  expect(entries.map((e) => [e.actor, e.action, e.subject])).toEqual([
    [`api-key:${keyId}`, 'credential.awarded', one.body.id],
    [`api-key:${keyId}`, 'credentials.awarded', null],
    [`api-key:${keyId}`, 'credential.revoked', one.body.id],
  ]);
  expect(entries[1]!.details).toEqual({ count: 2, badgeClasses: ['carer-plus-digital-communication'], credentials: (batch.body.credentials as Array<{ id: string }>).map((c) => c.id) });
  const text = JSON.stringify(entries);
  expect(text).not.toContain('maria');
  expect(text).not.toContain('Rossi');
  expect(text).not.toContain('ion@');
});
