import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** One JSON line per request at `info`: method, path without its query, status, time; nothing below `info`. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const capture = (level: string) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, app: createApp({ ...t.ctx, logger: createLogger(level, sink) }) };
};

it('logs each request at info with its path only, its status and its time; /health not at all', async () => {
  const { lines, app } = capture('info');
  await request(app).get('/credentials/no-such-id?email=someone%40example.org&lang=it').set('Accept', 'application/json').expect(404);
  await request(app).get('/health').expect(200);
  await request(app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'a@example.org' } }).expect(201);
  const requests = lines.filter((l) => l.msg === 'request completed');
  expect(requests.map((l) => [(l.req as { method: string; url: string }).method, (l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode])).toEqual([
    ['GET', '/credentials/no-such-id', 404],
    ['POST', '/api/v1/credentials', 201],
  ]);
  for (const l of requests) {
    expect(l.level).toBe(30);
    expect(typeof l.responseTime).toBe('number');
    expect(Object.keys(l.req as object).sort()).toEqual(['id', 'method', 'url']);
    expect(Object.keys(l.res as object)).toEqual(['statusCode']);
  }
  expect(JSON.stringify(lines)).not.toContain('someone');
  expect(JSON.stringify(lines)).not.toContain(t.apiKey);
});

it('writes no request line below info', async () => {
  const { lines, app } = capture('warn');
  await request(app).get('/credentials/no-such-id').set('Accept', 'application/json').expect(404);
  expect(lines.filter((l) => l.msg === 'request completed')).toEqual([]);
});
