import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
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
  `/credentials/${id}/badge.gif`, '/credentials/%FF', `/credentials/${id}/revoke`, `/credentials/${id}/recipient-check`, '/credentials/nope/recipient-check', '/achievements/i-care-intercultural-competence',
  '/achievements/i-care-intercultural-competence/image.png', '/achievements/x/image.svg', '/verify', '/status/nope', '/status/00000000-0000-0000-0000-000000000000',
  '/issuer', '/.well-known/did.json', '/keys/%00', `/api/v1/credentials/${id}/revoke`, '/api/v1/credentials', '/api/v1/credentials/batch', '/api/v1/badge-classes',
];
const queries = ['', '?lang=it', '?lang[]=it&lang[]=de', '?lang=zz', '?email=a@example.org', '?email[]=x&email[]=y', '?format=jwt', '?format[]=jwt', '?limit=-1&offset=abc', '?badgeClass[x]=1'];
const accepts = ['*/*', 'text/html', 'application/json', 'application/vc+jwt', 'image/png', 'text/html;q=0, */*;q=0', 'nonsense'];
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}`;
const bodies: Array<[string, string | Buffer]> = [
  ['application/json', '{}'], ['application/json', '{"reason":123}'], ['application/json', '{"reason":"x","publishReason":"yes"}'], ['application/json', '['],
  ['text/plain', 'x'], ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], ['image/svg+xml', '<svg'],
  ['multipart/form-data', '--x\r\n'], ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nnot a png\r\n--x--\r\n'],
  ['application/x-www-form-urlencoded', 'credential=%7B'],
  // Cut off before the closing boundary, inside a file part and after a field.
  ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG'],
  ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="credential"\r\n\r\n{"a":1}\r\n'],
  // Nested 20,000 levels: as the body, inside the { credential } wrapper, and pasted in a form.
  ['application/json', deepArray(20_000)],
  ['application/json', `{"credential":${deepObject(20_000)}}`],
  ['text/plain', deepObject(20_000)],
  ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="credential"\r\n\r\n${deepObject(20_000)}\r\n--x--\r\n`],
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

/**
 * Uploads abandoned partway, on a real server: each request declares its whole length, sends a
 * seeded share of it and disconnects. The app must still answer each one (to nobody) with a 4xx,
 * and let go of every connection.
 */
describe('no abandoned upload is left pending', () => {
  let server: Server;
  let port: number;
  const responses: ServerResponse[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      responses.push(res);
      t.app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const uploads: Array<[string, Buffer]> = [
    ['multipart/form-data; boundary=x', Buffer.from(`--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n${'p'.repeat(50_000)}\r\n--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.org\r\n--x--\r\n`)],
    ['multipart/form-data; boundary=x', Buffer.from(`--x\r\nContent-Disposition: form-data; name="credential"\r\n\r\n${deepObject(2_000)}\r\n--x--\r\n`)],
    ['application/json', Buffer.from(JSON.stringify({ credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], padding: 'x'.repeat(20_000) } }))],
    ['image/png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(50_000)])],
  ];

  it('answers 40 seeded abandoned uploads with a 4xx and closes every connection', async () => {
    for (let i = 0; i < 40; i++) {
      const [type, body] = pick(uploads);
      const sent = Math.floor(rand() * body.length);
      const arrived = responses.length;
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(`POST /verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, sent));
      // Disconnect once the app has the request, so that it is abandoned while its body is read.
      for (let wait = 0; responses.length === arrived && wait < 200; wait++) await new Promise((r) => setTimeout(r, 5));
      socket.destroy();
    }
    const deadline = Date.now() + 5000;
    const connections = () => new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)));
    while ((responses.some((r) => !r.writableEnded) || (await connections()) > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(responses).toHaveLength(40);
    expect({ pending: responses.filter((r) => !r.writableEnded).length, connections: await connections() }).toEqual({ pending: 0, connections: 0 });
    expect(responses.map((r) => r.statusCode).filter((status) => status < 400 || status >= 500)).toEqual([]);
  });
});
