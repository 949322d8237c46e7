import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import request from 'supertest';
import { bakePng } from '../../src/baking/index.js';
import { MAX_JSON_DEPTH, assertJsonDepth, maxJsonDepth } from '../../src/json/limits.js';
import { MAX_IMAGE_INPUT, MAX_TEXT_INPUT } from '../../src/http/routes/verify.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { State } from './hostile-server.js';

/**
 * Bodies sent to hurt the server: cut off, never ending, abandoned halfway, too large, too many
 * parts, nested too deep. Each gets a 4xx with its code, or, when the client has gone, an answer
 * nobody reads; the process neither crashes nor keeps a request pending.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOUNDARY = 'hostile-boundary';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** `{"a":{"a":…{}…}}`, `levels` + 1 deep. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}`;
const DEEP = nested(50_000);
/** Arrays nest in 2 bytes a level, so deep bodies fit under the API's smaller size limits. */
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

const fieldPart = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePartHead = (name = 'file', filename = 'badge.png', type = 'image/png') =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
const closing = `--${BOUNDARY}--\r\n`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('maxJsonDepth and assertJsonDepth', () => {
  it.each([
    ['a scalar', '42', 0],
    ['an empty object', '{}', 1],
    ['an object in an array in an object', '{"a":[{"b":1}]}', 3],
    ['brackets inside strings', '{"a":"[[[{{{"}', 1],
    ['an escaped quote that does not end the string', '{"a":"\\"[[[["}', 1],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":[[1]]}', 3],
    ['stray closers before openers', ']]]]}}[[[', 3],
    ['siblings, not nesting', '[[],[],[[]]]', 3],
  ])('counts %s', (_name, text, depth) => {
    expect(maxJsonDepth(text)).toBe(depth);
    expect(maxJsonDepth(Buffer.from(text))).toBe(depth);
  });

  it('does not mistake multi-byte UTF-8 for brackets', () => {
    expect(maxJsonDepth(Buffer.from('{"name":"Łódź ⟦ 括弧 🎓"}', 'utf8'))).toBe(1);
  });

  it('counts 50,000 levels without recursion, and stops early past the limit', () => {
    expect(maxJsonDepth(DEEP)).toBe(50_001);
    expect(maxJsonDepth(DEEP, MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
  });

  it('refuses JSON deeper than MAX_JSON_DEPTH with json_too_deep, and accepts it at the limit', () => {
    expect(() => assertJsonDepth(nested(MAX_JSON_DEPTH - 1))).not.toThrow();
    expect(() => assertJsonDepth(nested(MAX_JSON_DEPTH))).toThrow(expect.objectContaining({ code: 'json_too_deep', status: 400 }));
  });
});

describe('hostile bodies through the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const expectError = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  };

  describe('JSON nested tens of thousands of levels deep', () => {
    it('refuses it as the raw JSON body of POST /verify with 400 json_too_deep', async () => {
      expectError(await request(t.app).post('/verify').set('Content-Type', 'application/json').send(DEEP), 400, 'json_too_deep');
    });

    it('refuses it inside the { credential } wrapper, as an object and as a string', async () => {
      expectError(await request(t.app).post('/verify').set('Content-Type', 'application/json').send(`{"credential":${DEEP}}`), 400, 'json_too_deep');
      expectError(await request(t.app).post('/verify').set('Content-Type', 'application/json').send(JSON.stringify({ credential: DEEP })), 400, 'json_too_deep');
    });

    it('refuses it as text/plain', async () => {
      expectError(await request(t.app).post('/verify').set('Content-Type', 'text/plain').send(DEEP), 400, 'json_too_deep');
    });

    it('refuses it as the pasted credential field of a multipart form', async () => {
      expectError(await request(t.app).post('/verify').field('credential', DEEP), 400, 'json_too_deep');
    });

    it('refuses it as a JSON file in a multipart form', async () => {
      expectError(await request(t.app).post('/verify').attach('file', Buffer.from(DEEP), { filename: 'credential.json', contentType: 'application/json' }), 400, 'json_too_deep');
    });

    it.each([
      ['/api/v1/credentials', `{"badgeClass":"i-care-intercultural-competence","recipient":${deepArray(50_000)}}`],
      ['/api/v1/credentials/batch', `{"awards":${deepArray(50_000)}}`],
      // This route takes 16 kB at most: 8,000 levels are as deep as fits.
      ['/api/v1/credentials/00000000-0000-0000-0000-000000000000/revoke', `{"reason":${deepArray(8_000)}}`],
    ])('refuses it at POST %s with a valid API key', async (path, body) => {
      const res = await request(t.app).post(path).set('Authorization', `Bearer ${t.apiKey}`).set('Content-Type', 'application/json').send(body);
      expectError(res, 400, 'json_too_deep');
    });

    it('still accepts an issue request nested at ordinary depth', async () => {
      const res = await request(t.app)
        .post('/api/v1/credentials')
        .set('Authorization', `Bearer ${t.apiKey}`)
        .send({ badgeClass: 'i-care-intercultural-competence', recipient: { email: 'deep@example.org' } });
      expect(res.status).toBe(201);
    });
  });

  describe('size caps on POST /verify', () => {
    it('refuses 600 KiB of JSON with 413 payload_too_large naming the 512 KiB limit', async () => {
      const body = JSON.stringify({ credential: 'x'.repeat(600 * 1024) });
      const res = await request(t.app).post('/verify').set('Content-Type', 'application/json').send(body);
      expectError(res, 413, 'payload_too_large');
      expect(res.body.error.message).toContain('512 KiB');
      expect(MAX_TEXT_INPUT).toBe(512 * 1024);
    });

    it('refuses a 4 MiB PNG with 413 payload_too_large naming the 3 MiB limit', async () => {
      const png = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(4 * 1024 * 1024)]);
      const res = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(png);
      expectError(res, 413, 'payload_too_large');
      expect(res.body.error.message).toContain('3 MiB');
      expect(MAX_IMAGE_INPUT).toBe(3 * 1024 * 1024);
    });

    it('refuses a PNG whose baked credential is over 512 KiB with 413, however small the image', async () => {
      const image = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer();
      const png = bakePng(image, JSON.stringify({ '@context': [], name: 'x'.repeat(MAX_TEXT_INPUT) }));
      expect(png.length).toBeLessThan(MAX_IMAGE_INPUT);
      const res = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(png);
      expectError(res, 413, 'payload_too_large');
      expect(res.body.error.message).toContain('baked in the PNG');
    });

    it('refuses a pasted credential field over 512 KiB with 413', async () => {
      const res = await request(t.app).post('/verify').field('credential', 'x'.repeat(MAX_TEXT_INPUT + 1));
      expectError(res, 413, 'payload_too_large');
      expect(res.body.error.message).toContain('"credential"');
    });

    it('refuses a multipart file just over 3 MiB with 413, while reading it', async () => {
      const res = await request(t.app).post('/verify').attach('file', Buffer.concat([PNG_SIGNATURE, Buffer.alloc(MAX_IMAGE_INPUT)]), 'badge.png');
      expectError(res, 413, 'payload_too_large');
      expect(res.body.error.message).toContain('"file"');
    });
  });

  describe('multipart forms with too many parts', () => {
    it('refuses a form of 1000 fields with 413 payload_too_large', async () => {
      const body = Array.from({ length: 1000 }, (_, i) => fieldPart(`f${i}`, 'x')).join('') + closing;
      expectError(await request(t.app).post('/verify').set('Content-Type', MULTIPART).send(body), 413, 'payload_too_large');
    });

    it('refuses a form of two files with 413 payload_too_large', async () => {
      const body = `${filePartHead('file')}a\r\n${filePartHead('other')}b\r\n${closing}`;
      expectError(await request(t.app).post('/verify').set('Content-Type', MULTIPART).send(body), 413, 'payload_too_large');
    });

    it('still reads the form the verify page sends: a file, a pasted credential and an e-mail', async () => {
      const body = `${filePartHead('file', '', 'application/octet-stream')}\r\n${fieldPart('credential', '{"a":1}')}${fieldPart('email', 'a@example.org')}${closing}`;
      // Read and verified (and found wanting): a 200 report, not a refusal of the form's shape.
      expect((await request(t.app).post('/verify').set('Content-Type', MULTIPART).send(body)).status).toBe(200);
    });
  });
});

/** The app in a child process (hostile-server.ts), asked for its state over stdin and stdout. */
class HostileServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly lines: Interface,
    readonly port: number,
    private readonly output: () => string,
  ) {}

  static async start(): Promise<HostileServer> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/http/hostile-server.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`hostile-server exited with ${code}: ${stderr}`)));
    });
    return new HostileServer(child, lines, (JSON.parse(first) as { port: number }).port, () => stderr);
  }

  state(): Promise<State> {
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null) reject(new Error(`hostile-server exited with ${this.child.exitCode}: ${this.output()}`));
      this.lines.once('line', (line) => resolve(JSON.parse(line) as State));
      this.child.stdin!.write('state\n');
    });
  }

  /** The state once `done` holds, or the last state seen after `timeoutMs`. */
  async until(done: (s: State) => boolean, timeoutMs = 5000): Promise<State> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state();
      if (done(s) || Date.now() > deadline) return s;
      await sleep(25);
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.stdin!.end();
    });
  }
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const head = (name: string, type: string, length?: number) =>
  `POST /verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nX-Test-Case: ${name}\r\nContent-Type: ${type}\r\n` +
  (length === undefined ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${length}\r\n`) +
  '\r\n';
const chunk = (data: string | Buffer) => {
  const bytes = Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
};

/** A request whose body is sent through `write`, answered as status and parsed JSON body. */
function send(port: number, name: string, type: string, write: (req: ReturnType<typeof httpRequest>) => void, length?: number) {
  return new Promise<{ status: number; body: { error?: { code: string; message: string } } }>((resolve, reject) => {
    // Keep-alive, as browsers do: the server then reads and drops the rest of a refused body
    // rather than closing on it (which could reset the connection before the answer is read).
    // The agent is closed after the answer, so that no connection is left open to count.
    const agent = new Agent({ keepAlive: true });
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      agent,
      method: 'POST',
      path: '/verify',
      headers: { 'Content-Type': type, Accept: 'application/json', 'X-Test-Case': name, ...(length !== undefined ? { 'Content-Length': length } : {}) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        // Stop sending what the server has already refused.
        agent.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') });
      });
    });
    req.on('error', reject);
    write(req);
  });
}

describe('hostile bodies against a real server in its own process', () => {
  let server: HostileServer;
  beforeAll(async () => {
    server = await HostileServer.start();
  });
  afterAll(() => server.stop());

  // Crashes since the test began, so that one test's failure does not fail the next.
  let crashesBefore = 0;
  beforeEach(async () => {
    crashesBefore = (await server.state()).crashes.length;
  });

  /** Waits until the app has the request. */
  const whenPending = (name: string) => server.until((s) => s.pending.includes(name));
  /** Waits until the app has answered `name` and every connection is closed; what is left of it. */
  const settled = async (name: string) => {
    const s = await server.until((st) => !st.pending.includes(name) && st.connections === 0);
    const a = s.answers[name];
    return {
      pending: s.pending.includes(name),
      connections: s.connections,
      crashes: s.crashes.slice(crashesBefore),
      answer: a && { status: a.status, code: (JSON.parse(a.body || '{}') as { error?: { code?: string } }).error?.code },
    };
  };

  it('settles a multipart upload whose file part never ends when the client disconnects', async () => {
    const socket = await open(server.port);
    socket.write(head('never-ending-file', MULTIPART));
    socket.write(chunk(filePartHead()));
    await whenPending('never-ending-file');
    for (let i = 0; i < 4; i++) {
      socket.write(chunk(Buffer.alloc(64 * 1024, i)));
      await sleep(20);
    }
    socket.destroy();
    expect(await settled('never-ending-file')).toEqual({ pending: false, connections: 0, crashes: [], answer: { status: 400, code: 'request_aborted' } });
  });

  it('settles a multipart upload abandoned halfway through its declared Content-Length', async () => {
    const socket = await open(server.port);
    const start = filePartHead() + 'half a badge';
    socket.write(head('half-multipart', MULTIPART, 100_000) + start);
    await whenPending('half-multipart');
    await sleep(50);
    socket.destroy();
    expect(await settled('half-multipart')).toEqual({ pending: false, connections: 0, crashes: [], answer: { status: 400, code: 'request_aborted' } });
  });

  it('settles a raw body abandoned halfway through its declared Content-Length', async () => {
    const socket = await open(server.port);
    socket.write(head('half-json', 'application/json', 1000) + '{"credential":');
    await whenPending('half-json');
    await sleep(50);
    socket.destroy();
    expect(await settled('half-json')).toEqual({ pending: false, connections: 0, crashes: [], answer: { status: 400, code: 'request_aborted' } });
  });

  it('answers a multipart body cut off inside a file part (no closing boundary) with 400 bad_request, and does not crash', async () => {
    const body = filePartHead() + 'not the whole badge';
    const res = await send(server.port, 'truncated-file', MULTIPART, (req) => req.end(body), Buffer.byteLength(body));
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'bad_request' });
    expect((await settled('truncated-file')).crashes).toEqual([]);
  });

  it('answers a multipart body cut off after its last field with 400 bad_request', async () => {
    const body = fieldPart('credential', '{"a":1}');
    const res = await send(server.port, 'truncated-field', MULTIPART, (req) => req.end(body), Buffer.byteLength(body));
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'bad_request' });
  });

  it('refuses a PNG streamed without Content-Length once it passes 3 MiB, and answers the client', async () => {
    const res = await send(server.port, 'chunked-png', 'image/png', (req) => {
      let sent = 0;
      const more = () => {
        while (sent < 2 * MAX_IMAGE_INPUT && !req.destroyed) {
          sent += 256 * 1024;
          if (!req.write(Buffer.alloc(256 * 1024))) return void req.once('drain', more);
        }
        req.end();
      };
      req.write(PNG_SIGNATURE);
      more();
    });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 413, code: 'payload_too_large' });
    expect(res.body.error?.message).toContain('3 MiB');
  });

  it('refuses JSON streamed without Content-Length once it passes 512 KiB', async () => {
    const res = await send(server.port, 'chunked-json', 'application/json', (req) => {
      req.write('{"credential":"');
      for (let i = 0; i < 10; i++) req.write('x'.repeat(100 * 1024));
      req.end('"}');
    });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 413, code: 'payload_too_large' });
  });

  it('has crashed on nothing, holds no request, and still answers', async () => {
    const s = await server.until((st) => st.pending.length === 0 && st.connections === 0);
    expect({ pending: s.pending, connections: s.connections, crashes: s.crashes }).toEqual({ pending: [], connections: 0, crashes: [] });
    const res = await new Promise<number>((resolve, reject) =>
      httpRequest({ host: '127.0.0.1', port: server.port, path: '/health', agent: false }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(res).toBe(200);
  });
});
