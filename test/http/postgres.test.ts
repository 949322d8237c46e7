import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/postgres.js';

/**
 * The service on PostgreSQL (`DATABASE_URL`), through HTTP: issue with an Idempotency-Key, list,
 * read the page, revoke, and the verifier and the signed status list both see the revocation.
 */
let t: TestApp;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
  t = await startTestApp({ DATABASE_URL: database.url });
});
afterAll(async () => {
  t.close();
  await database.drop();
});

const auth = () => ({ Authorization: `Bearer ${t.apiKey}` });

describe('the service on PostgreSQL', () => {
  it('keeps its data in PostgreSQL, not in a SQLite file', () => {
    expect(t.ctx.sqlite).toBeUndefined();
  });

  it('connects through a unix socket too (DATABASE_URL with ?host=<socket folder>)', async () => {
    expect(database.socketUrl).toMatch(/^postgres:\/\/badges@localhost\/t_\w+\?host=%2F/);
    const viaSocket = await startTestApp({ DATABASE_URL: database.socketUrl });
    try {
      // An organisation of its own, so that the other tests' listings stay theirs.
      const { apiKey } = await addProvider(viaSocket.ctx, 'Through the socket', ['*']);
      const res = await request(viaSocket.app).post('/api/v1/credentials').set('Authorization', `Bearer ${apiKey}`).send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 's@example.org' } }).expect(201);
      // The same database as the TCP connection's.
      expect((await t.ctx.storage.credentials.get(res.body.id))?.id).toBe(res.body.id);
    } finally {
      viaSocket.close();
    }
  });

  it('issues, replays an Idempotency-Key, lists, revokes, and every verifier sees it', async () => {
    const body = { badgeClass: 'i-care-intercultural-competence', recipient: { email: 'a@example.org' } };
    const first = await request(t.app).post('/api/v1/credentials').set(auth()).set('Idempotency-Key', 'pg-1').send(body).expect(201);
    const replay = await request(t.app).post('/api/v1/credentials').set(auth()).set('Idempotency-Key', 'pg-1').send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    await request(t.app).post('/api/v1/credentials').set(auth()).set('Idempotency-Key', 'pg-1').send({ ...body, badgeClass: 'carer-plus-digital-communication' }).expect(409);

    const list = await request(t.app).get('/api/v1/credentials?total=true').set(auth()).expect(200);
    expect(list.body.total).toBe(1);
    expect((await t.ctx.verifier.verify({ credential: first.body.credential })).verdict).toBe('verified');

    await request(t.app).post(`/api/v1/credentials/${first.body.id}/revoke`).set(auth()).send({ reason: 'issued in error', publishReason: true }).expect(200);
    const report = await t.ctx.verifier.verify({ credential: first.body.credential });
    expect(report.checks.find((c) => c.id === 'status')).toMatchObject({ status: 'failed', code: 'revoked' });
    const page = await request(t.app).get(`/credentials/${first.body.id}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('issued in error');

    const statusUrl = new URL(first.body.credential.credentialStatus.statusListCredential as string).pathname;
    const signedList = await request(t.app).get(statusUrl).expect(200);
    expect(JSON.parse(signedList.text).credentialSubject.encodedList).toMatch(/^u/);
    await request(t.app).get('/health').expect(200);
  });
});
