import request, { type Response } from 'supertest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { clientOf } from '../../src/http/rate-limit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { pathOf } from '../helpers/verify.js';

/**
 * rate-limiter-flexible's in-memory limiter reads the system clock and takes no injected one, so these
 * tests count requests inside one window (seconds to minutes long) and never wait for a window to pass.
 * The app trusts a loopback proxy, so `X-Forwarded-For` stands for a second client.
 */
const OTHER_CLIENT = '203.0.113.7';

function expectRateLimited(res: Response, windowSeconds: number): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^too many .+; try again in \d+ seconds$/) } });
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(res.headers['ratelimit-remaining']).toBe('0');
}

async function issue(t: TestApp): Promise<{ url: string; credential: Record<string, unknown> }> {
  const res = await request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${t.apiKey}`)
    .send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'learner@example.org', name: 'Ion Popescu' } })
    .expect(201);
  return res.body as { url: string; credential: Record<string, unknown> };
}

describe('POST /verify rate limit', () => {
  let t: TestApp;
  let credential: Record<string, unknown>;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_VERIFY: '3/60' });
    credential = (await issue(t)).credential;
  });
  afterAll(() => t.close());

  // Unreadable input answers at once with 422, yet spends a point like any other request.
  const unreadable = () => request(t.app).post('/verify').type('text/plain').send('not a credential');

  it('lets 3 requests from a client through, then refuses the 4th with 429 rate_limited and Retry-After', async () => {
    for (const remaining of ['2', '1', '0']) {
      const res = await unreadable();
      expect(res.body.error.code).toBe('unreadable_credential');
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-remaining']).toBe(remaining);
    }
    expectRateLimited(await unreadable(), 60);
    expectRateLimited(await request(t.app).post('/verify').send(credential), 60);
  });

  it('counts each client apart', async () => {
    const res = await unreadable().set('X-Forwarded-For', OTHER_CLIENT);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unreadable_credential');
  });

  it('does not limit the verify page itself', async () => {
    await request(t.app).get('/verify').expect(200);
  });
});

describe('API-key failure limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_API_KEY_FAILURES: '3/900' });
  });
  afterAll(() => t.close());

  const wrongKey = 'Bearer obk_thisIsNotAKeyThatExists000000000000000000';
  const badgeClasses = (authorization?: string, client?: string) => {
    const r = request(t.app).get('/api/v1/badge-classes');
    if (authorization) r.set('Authorization', authorization);
    if (client) r.set('X-Forwarded-For', client);
    return r;
  };

  it('spends nothing on successful requests or on requests without a key', async () => {
    for (let i = 0; i < 10; i++) await badgeClasses(`Bearer ${t.apiKey}`).expect(200);
    for (let i = 0; i < 10; i++) expect((await badgeClasses()).body.error.code).toBe('unauthorized');
    await badgeClasses(`Bearer ${t.apiKey}`).expect(200);
  });

  it('answers 3 wrong keys with 401 invalid_api_key, then refuses the 4th with 429 rate_limited', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await badgeClasses(wrongKey);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_api_key');
    }
    expectRateLimited(await badgeClasses(wrongKey), 900);
  });

  it('then refuses even a valid key from that client, so a guessed key is of no use', async () => {
    expectRateLimited(await badgeClasses(`Bearer ${t.apiKey}`), 900);
    const issueRes = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: 'x', recipient: { email: 'a@example.org' } });
    expectRateLimited(issueRes, 900);
    expectRateLimited(await badgeClasses(), 900);
  });

  it('still serves another client with a valid key', async () => {
    await badgeClasses(`Bearer ${t.apiKey}`, OTHER_CLIENT).expect(200);
  });

  it('never puts the key in the refusal', async () => {
    const res = await badgeClasses(`Bearer ${t.apiKey}`);
    expect(res.status).toBe(429);
    expect(JSON.stringify(res.headers) + res.text).not.toContain(t.apiKey);
  });
});

describe('recipient-check rate limit', () => {
  let t: TestApp;
  let page: string;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_RECIPIENT_CHECK: '3/600' });
    page = pathOf((await issue(t)).url);
  });
  afterAll(() => t.close());

  // JSON requests: the limit is spent before routing, so it counts them the same as the HTML form.
  const check = (email: string) => request(t.app).post(`${page}/recipient-check`).send({ email });

  it('serves the credential page unlimited', async () => {
    for (let i = 0; i < 10; i++) await request(t.app).get(page).expect(200);
  });

  it('answers 3 checks, then refuses with 429 rate_limited', async () => {
    await check('learner@example.org').expect(200);
    await check('someone@example.org').expect(200);
    const third = await request(t.app).post(`${page}/recipient-check`).type('form').send('email=third%40example.org');
    expect(third.status).toBe(200);
    expect(third.headers['ratelimit-remaining']).toBe('0');
    expectRateLimited(await check('fourth@example.org'), 600);
  });

  it('keeps serving the credential page to the limited client, and checks for another client', async () => {
    await request(t.app).get(page).expect(200);
    await check('learner@example.org').set('X-Forwarded-For', OTHER_CLIENT).expect(200);
  });

  it('never puts the e-mail address in the refusal', async () => {
    const res = await check('secret.person@example.org');
    expect(res.status).toBe(429);
    expect(JSON.stringify(res.headers) + res.text).not.toContain('secret.person');
  });
});

describe('RATE_LIMITS=off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'off', RATE_LIMIT_VERIFY: '1/60', RATE_LIMIT_API_KEY_FAILURES: '1/900', RATE_LIMIT_RECIPIENT_CHECK: '1/600' });
  });
  afterAll(() => t.close());

  it('lets 200 requests of each limited kind through', async () => {
    const missing = '/credentials/00000000-0000-4000-8000-000000000000/recipient-check';
    for (let i = 0; i < 200; i++) {
      const verify = await request(t.app).post('/verify').type('text/plain').send('not a credential');
      expect(verify.body.error.code).toBe('unreadable_credential');
      const key = await request(t.app).get('/api/v1/badge-classes').set('Authorization', 'Bearer obk_wrong');
      expect(key.body.error.code).toBe('invalid_api_key');
      const check = await request(t.app).post(missing).send({ email: 'a@example.org' });
      expect(check.body.error.code).toBe('credential_not_found');
    }
    const res = await request(t.app).get('/api/v1/badge-classes').set('Authorization', `Bearer ${t.apiKey}`).expect(200);
    expect(res.headers['ratelimit-limit']).toBeUndefined();
  });
});

describe('rate-limit configuration', () => {
  it('defaults to on: verify 30/60, API-key failures 10/900, recipient checks 20/600, console sign-in failures 10/900', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      enabled: true,
      verify: { points: 30, durationSeconds: 60 },
      apiKeyFailures: { points: 10, durationSeconds: 900 },
      recipientCheck: { points: 20, durationSeconds: 600 },
      signIn: { points: 10, durationSeconds: 900 },
    });
  });

  it('reads points/seconds for each limit and RATE_LIMITS=off', () => {
    const c = loadConfig({ RATE_LIMITS: 'off', RATE_LIMIT_VERIFY: '100/1', RATE_LIMIT_API_KEY_FAILURES: ' 5/3600 ', RATE_LIMIT_RECIPIENT_CHECK: '7/86400', RATE_LIMIT_SIGN_IN: '3/60' });
    expect(c.rateLimits).toEqual({
      enabled: false,
      verify: { points: 100, durationSeconds: 1 },
      apiKeyFailures: { points: 5, durationSeconds: 3600 },
      recipientCheck: { points: 7, durationSeconds: 86400 },
      signIn: { points: 3, durationSeconds: 60 },
    });
  });

  it('stops with a message naming RATE_LIMITS when it is neither on nor off', () => {
    for (const value of ['yes', 'true', 'ON', '0']) {
      expect(() => loadConfig({ RATE_LIMITS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ RATE_LIMITS: value })).toThrow(/configuration variable RATE_LIMITS is invalid/);
    }
  });

  it.each(['RATE_LIMIT_VERIFY', 'RATE_LIMIT_API_KEY_FAILURES', 'RATE_LIMIT_RECIPIENT_CHECK'])('stops with a message naming %s for a bad value', (name) => {
    for (const value of ['30', '30 per minute', '30/', '/60', '0/60', '30/0', '-1/60', '1.5/60', '30/60s', '30/100000', '1/2/3']) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`configuration variable ${name} is invalid`));
    }
  });
});

describe('the client a limit counts', () => {
  const client = (ip: string) => clientOf({ ip, socket: {} as never });
  it('is the IPv4 address, also when written IPv4-mapped', () => {
    expect(client('203.0.113.7')).toBe('203.0.113.7');
    expect(client('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });
  it('is the /64 of an IPv6 address, so one subscriber cannot start afresh with each of its addresses', () => {
    expect(client('2001:db8:1:2:aaaa::1')).toBe(client('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(client('2001:db8:1:2::1')).not.toBe(client('2001:db8:1:3::1'));
  });
});
