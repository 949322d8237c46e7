import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Every public and provider endpoint, with odd paths, queries, headers and bodies: the answer is a
 * success or a 4xx with an error code, never a 500. The generator is seeded, so a failure can be replayed.
 */
let t: TestApp;
let id: string;
beforeAll(async () => {
  t = await startTestApp();
  const res = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'a@example.org' } });
  id = res.body.id;
});
afterAll(() => t.close());

let seed = 424242;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const paths = () => [
  `/credentials/${id}`, `/credentials/${id}.json`, `/credentials/${id}.jwt`, `/credentials/${id}/badge.png`, `/credentials/${id}/badge.svg`,
  `/credentials/${id}/badge.gif`, '/credentials/%FF', `/credentials/${id}/revoke`, '/achievements/i-care-intercultural-competence',
  '/achievements/i-care-intercultural-competence/image.png', '/achievements/x/image.svg', '/verify', '/status/nope', '/status/00000000-0000-0000-0000-000000000000',
  '/issuer', '/.well-known/did.json', '/keys/%00', `/api/v1/credentials/${id}/revoke`, '/api/v1/credentials', '/api/v1/credentials/batch', '/api/v1/badge-classes',
];
const queries = ['', '?lang=it', '?lang[]=it&lang[]=de', '?lang=zz', '?email=a@example.org', '?email[]=x&email[]=y', '?format=jwt', '?format[]=jwt', '?limit=-1&offset=abc', '?badgeClass[x]=1'];
const accepts = ['*/*', 'text/html', 'application/json', 'application/vc+jwt', 'image/png', 'text/html;q=0, */*;q=0', 'nonsense'];
const bodies: Array<[string, string | Buffer]> = [
  ['application/json', '{}'], ['application/json', '{"reason":123}'], ['application/json', '{"reason":"x","publishReason":"yes"}'], ['application/json', '['],
  ['text/plain', 'x'], ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], ['image/svg+xml', '<svg'],
  ['multipart/form-data', '--x\r\n'], ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nnot a png\r\n--x--\r\n'],
  ['application/x-www-form-urlencoded', 'credential=%7B'],
];

describe('no request produces a 500', () => {
  it('answers 300 generated requests with 2xx, 3xx or a 4xx error code', async () => {
    const keys = [t.apiKey, 'obk_wrong', ''];
    for (let i = 0; i < 300; i++) {
      const method = pick(['get', 'post'] as const);
      const path = pick(paths()) + pick(queries);
      let r = request(t.app)[method](path).set('Accept', pick(accepts));
      const key = pick(keys);
      if (key) r = r.set('Authorization', `Bearer ${key}`);
      if (method === 'post') {
        const [type, body] = pick(bodies);
        r = r.set('Content-Type', type).send(body);
      }
      const res = await r;
      expect({ path, method, status: res.status < 500 }).toEqual({ path, method, status: true });
      if (res.status >= 400 && res.type === 'application/json') expect(res.body.error.code).toEqual(expect.any(String));
    }
  });
});
