import type { LookupAddress } from 'node:dns';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import { jest } from '@jest/globals';
import {
  createGuardedFetcher,
  createGuardedLookup,
  embeddedIPv4,
  isPublicUnicastAddress,
  RemoteFetchError,
  type IPv4Embedding,
  type IPv4EmbeddingForm,
  type LookupAll,
  type RemoteFetchErrorCode,
} from '../../src/net/guarded-fetch.js';

/** A server on 127.0.0.1 that records every request it receives. */
interface TestServer {
  base: string;
  port: number;
  requests: { url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

const running: TestServer[] = [];

async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const started: TestServer = {
    base: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  running.push(started);
  return started;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function failure(promise: Promise<unknown>): Promise<RemoteFetchError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof RemoteFetchError) return e;
    throw e;
  }
  throw new Error('expected the fetch to fail');
}

const expectCode = async (promise: Promise<unknown>, code: RemoteFetchErrorCode): Promise<RemoteFetchError> => {
  const error = await failure(promise);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.any(String) });
  return error;
};

/** A lookup that answers from a fixed table and records the names asked for. */
function fakeLookup(table: Record<string, string[]>): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const lookup = (hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => {
    calls.push(hostname);
    const addresses = (table[hostname] ?? []).map((address) => ({ address, family: net.isIP(address) }));
    setImmediate(() => callback(null, addresses));
  };
  return Object.assign(lookup, { calls });
}

const LOCAL = { allowHttp: true, allowPrivateAddresses: true } as const;

let server: TestServer;
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('createGuardedFetcher: fetching', () => {
  it('fetches JSON from a local server when http and private addresses are allowed, with our User-Agent and Accept', async () => {
    server = await startServer((_req, res) => json(res, 200, { id: 'did:web:example.org' }));
    const fetcher = createGuardedFetcher(LOCAL);

    await expect(fetcher.getJson(`${server.base}/did.json`, { accept: 'application/did+json' })).resolves.toEqual({ id: 'did:web:example.org' });
    const response = await fetcher.get(`${server.base}/raw`);
    expect(response).toMatchObject({ url: `${server.base}/raw`, status: 200, contentType: 'application/json' });

    expect(server.requests[0]?.headers).toMatchObject({ 'user-agent': 'care-badges-verifier', accept: 'application/did+json' });
    expect(server.requests[0]?.headers.cookie).toBeUndefined();
    expect(server.requests[1]?.headers.accept).toBe('*/*');
  });

  it('rejects a non-2xx answer with http_status and the status', async () => {
    server = await startServer((_req, res) => json(res, 404, { error: 'nope' }));
    const error = await expectCode(createGuardedFetcher(LOCAL).get(`${server.base}/missing`), 'http_status');
    expect(error.status).toBe(404);
    expect(error.url).toBe(`${server.base}/missing`);
  });

  it('rejects a body that is not JSON with invalid_json', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": ');
    });
    await expectCode(createGuardedFetcher(LOCAL).getJson(`${server.base}/broken`), 'invalid_json');
  });

  it('rejects a server that never answers with timeout', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const started = Date.now();
    await expectCode(createGuardedFetcher({ ...LOCAL, timeoutMs: 200 }).get(`${server.base}/slow`), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('counts the body in the timeout: headers sent, body stalled → timeout', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial": ');
    });
    await expectCode(createGuardedFetcher({ ...LOCAL, timeoutMs: 200 }).get(`${server.base}/stall`), 'timeout');
  });
});

describe('createGuardedFetcher: size cap', () => {
  const body = Buffer.alloc(2000, 'a');

  it('refuses a declared content-length over maxBytes before reading the body', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(body);
    });
    const error = await expectCode(createGuardedFetcher({ ...LOCAL, maxBytes: 1000 }).get(`${server.base}/big`), 'too_large');
    expect(error.message).toMatch(/declares 2000 bytes/);
  });

  it('stops reading a chunked body (no content-length) once it passes maxBytes', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(body.subarray(0, 800));
      setTimeout(() => res.end(body.subarray(800)), 20);
    });
    const error = await expectCode(createGuardedFetcher({ ...LOCAL, maxBytes: 1000 }).get(`${server.base}/chunked`), 'too_large');
    expect(error.message).toMatch(/sent more than 1000 bytes/);
  });

  it('accepts a body of exactly maxBytes', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200);
      res.write(body.subarray(0, 600));
      res.end(body.subarray(600, 1000));
    });
    const response = await createGuardedFetcher({ ...LOCAL, maxBytes: 1000 }).get(`${server.base}/exact`);
    expect(response.body.length).toBe(1000);
  });
});

describe('createGuardedFetcher: schemes and literal addresses', () => {
  it('refuses http under the default policy, without connecting', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const connect = jest.spyOn(net.Socket.prototype, 'connect');
    await expectCode(createGuardedFetcher().get(`${server.base}/x`), 'blocked_scheme');
    expect(connect).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(0);
  });

  it.each(['file:///etc/passwd', 'ftp://example.org/x', 'data:application/json,{}', 'not a url'])('refuses %s with blocked_scheme', async (url) => {
    await expectCode(createGuardedFetcher({ allowHttp: true }).get(url), 'blocked_scheme');
  });

  it('refuses a URL with credentials and keeps them out of the error', async () => {
    const error = await expectCode(createGuardedFetcher().get('https://user:secret@example.org/did.json'), 'blocked_scheme');
    expect(error.url).toBe('https://example.org/did.json');
    expect(error.message).not.toContain('secret');
  });

  it('refuses loopback, private, link-local, CGNAT, unspecified, multicast and mapped addresses before any connection', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const p = server.port;
    const urls = [
      `http://127.0.0.1:${p}/`,
      `http://[::1]:${p}/`,
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      `http://0.0.0.0:${p}/`,
      `http://[::]:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      `http://[::ffff:a9fe:a9fe]/`,
      `http://2130706433:${p}/`,
      `http://0x7f000001:${p}/`,
      `http://127.1:${p}/`,
      `http://017700000001:${p}/`,
      'http://100.64.0.1/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'https://[64:ff9b::7f00:1]/',
    ];
    const fetcher = createGuardedFetcher({ allowHttp: true });
    const connect = jest.spyOn(net.Socket.prototype, 'connect');
    for (const url of urls) {
      const error = await failure(fetcher.get(url));
      expect({ url, code: error.code }).toEqual({ url, code: 'blocked_address' });
    }
    expect(connect).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(0);
  });
});

describe('createGuardedFetcher: host names', () => {
  // Fake answers are loopback addresses: were the guard missing, the request would reach the local
  // server (and the test would fail) instead of leaving the machine.
  it('refuses a name that resolves to a loopback address, before the request is sent', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const lookup = fakeLookup({ localhost: ['127.0.0.1'] });
    const error = await expectCode(createGuardedFetcher({ allowHttp: true }, { lookup }).get(`http://localhost:${server.port}/`), 'blocked_address');
    expect(error.message).toMatch(/localhost resolves to 127\.0\.0\.1/);
    expect(lookup.calls).toEqual(['localhost']);
    expect(server.requests).toHaveLength(0);
  });

  it('connects to the address the guarded lookup returned, asking the resolver only once', async () => {
    server = await startServer((_req, res) => json(res, 200, { ok: true }));
    const lookup = fakeLookup({ localhost: ['127.0.0.1'] });
    const fetcher = createGuardedFetcher(LOCAL, { lookup });
    await expect(fetcher.getJson(`http://localhost:${server.port}/`)).resolves.toEqual({ ok: true });
    expect(lookup.calls).toEqual(['localhost']);
    expect(server.requests).toHaveLength(1);
  });
});

describe('createGuardedLookup', () => {
  // Unit level, because an end-to-end request to a public address would leave the machine.
  const call = (lookup: ReturnType<typeof createGuardedLookup>, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family: number | undefined }>((resolve) =>
      lookup('issuer.example', { all }, (err, address, family) => resolve({ err, address, family })),
    );

  it('passes a name that resolves only to public addresses, in both callback forms', async () => {
    const lookup = createGuardedLookup('https://issuer.example/', isPublicUnicastAddress, fakeLookup({ 'issuer.example': ['93.184.216.34', '2606:2800:220:1::1'] }));
    await expect(call(lookup, true)).resolves.toEqual({
      err: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
      family: undefined,
    });
    await expect(call(lookup, false)).resolves.toEqual({ err: null, address: '93.184.216.34', family: 4 });
  });

  it.each([[['169.254.169.254']], [['93.184.216.34', '10.0.0.1']], [['2606:2800:220:1::1', '::ffff:192.168.0.1']]])(
    'fails with blocked_address when any resolved address is refused: %j',
    async (addresses) => {
      const lookup = createGuardedLookup('https://issuer.example/', isPublicUnicastAddress, fakeLookup({ 'issuer.example': addresses }));
      for (const all of [true, false]) {
        const { err } = await call(lookup, all);
        expect(err).toBeInstanceOf(RemoteFetchError);
        expect((err as unknown as RemoteFetchError).code).toBe('blocked_address');
      }
    },
  );

  it('fails when the name has no address', async () => {
    const lookup = createGuardedLookup('https://issuer.example/', isPublicUnicastAddress, fakeLookup({}));
    const { err } = await call(lookup, true);
    expect(err?.code).toBe('ENOTFOUND');
  });
});

describe('isPublicUnicastAddress', () => {
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isPublicUnicastAddress(address)).toBe(true);
  });
  it.each([
    '127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '255.255.255.255', '::', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '2002:7f00:1::1',
    'ff02::1', 'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicUnicastAddress(address)).toBe(false);
  });
});

/**
 * IPv6 forms that carry an IPv4 address, each judged by that address, beside ordinary IPv4 and IPv6 so a
 * regression in the plain rules shows too. Sources: RFC 4291 §2.5.5 (mapped, compatible), RFC 2765 §2.1
 * (translated), RFC 6052 §2.1 and RFC 8215 (NAT64), RFC 3056 §2 (6to4), RFC 4380 §4 (Teredo; the client
 * address is stored with every bit inverted, so 1.1.1.1 is written fefe:fefe).
 */
interface AddressVector {
  address: string;
  verdict: 'allowed' | 'refused';
  embeds?: IPv4Embedding;
  why: string;
}

const embeds = (form: IPv4EmbeddingForm, ...ipv4: string[]): IPv4Embedding => ({ form, ipv4 });

const ADDRESS_VECTORS: AddressVector[] = [
  { address: '8.8.8.8', verdict: 'allowed', why: 'public IPv4' },
  { address: '127.0.0.1', verdict: 'refused', why: 'IPv4 loopback' },
  { address: '10.0.0.1', verdict: 'refused', why: 'IPv4 private' },
  { address: '169.254.169.254', verdict: 'refused', why: 'IPv4 link-local (cloud metadata)' },
  { address: '2001:4860:4860::8888', verdict: 'allowed', why: 'global unicast IPv6' },
  { address: '2606:4700::1111', verdict: 'allowed', why: 'global unicast IPv6' },
  { address: '::', verdict: 'refused', why: 'unspecified, not IPv4-compatible' },
  { address: '::1', verdict: 'refused', why: 'loopback, not IPv4-compatible' },
  { address: '0:0:0:0:0:0:0:1', verdict: 'refused', why: 'loopback, written in full' },
  { address: 'fe80::1', verdict: 'refused', why: 'link-local' },
  { address: 'fe80::1%eth0', verdict: 'refused', why: 'link-local with a zone id' },
  { address: '2001:4860:4860::8888%eth0', verdict: 'refused', why: 'a zone id marks a scoped address' },
  { address: 'fc00::1', verdict: 'refused', why: 'unique local' },
  { address: 'fd00::1', verdict: 'refused', why: 'unique local' },
  { address: 'ff02::1', verdict: 'refused', why: 'multicast' },
  { address: '2001:db8::1', verdict: 'refused', why: 'documentation' },
  { address: '100::1', verdict: 'refused', why: 'discard-only' },

  { address: '::ffff:8.8.8.8', verdict: 'allowed', embeds: embeds('ipv4-mapped', '8.8.8.8'), why: 'mapped, dotted' },
  { address: '::ffff:808:808', verdict: 'allowed', embeds: embeds('ipv4-mapped', '8.8.8.8'), why: 'mapped, hex' },
  { address: '0:0:0:0:0:FFFF:0808:0808', verdict: 'allowed', embeds: embeds('ipv4-mapped', '8.8.8.8'), why: 'mapped, full and uppercase' },
  { address: '::ffff:127.0.0.1', verdict: 'refused', embeds: embeds('ipv4-mapped', '127.0.0.1'), why: 'mapped loopback' },
  { address: '::FFFF:7F00:1', verdict: 'refused', embeds: embeds('ipv4-mapped', '127.0.0.1'), why: 'mapped loopback, uppercase hex' },
  { address: '::ffff:10.0.0.1', verdict: 'refused', embeds: embeds('ipv4-mapped', '10.0.0.1'), why: 'mapped private' },
  { address: '::ffff:a9fe:a9fe', verdict: 'refused', embeds: embeds('ipv4-mapped', '169.254.169.254'), why: 'mapped metadata' },
  { address: '::ffff:8.8.8.8%eth0', verdict: 'refused', embeds: embeds('ipv4-mapped', '8.8.8.8'), why: 'zone id' },

  { address: '::8.8.8.8', verdict: 'allowed', embeds: embeds('ipv4-compatible', '8.8.8.8'), why: 'compatible, dotted' },
  { address: '::808:808', verdict: 'allowed', embeds: embeds('ipv4-compatible', '8.8.8.8'), why: 'compatible, hex' },
  { address: '::127.0.0.1', verdict: 'refused', embeds: embeds('ipv4-compatible', '127.0.0.1'), why: 'compatible loopback, dotted' },
  { address: '::7f00:1', verdict: 'refused', embeds: embeds('ipv4-compatible', '127.0.0.1'), why: 'compatible loopback, hex' },
  { address: '0:0:0:0:0:0:7F00:1', verdict: 'refused', embeds: embeds('ipv4-compatible', '127.0.0.1'), why: 'compatible loopback, full' },
  { address: '::0:127.0.0.1', verdict: 'refused', embeds: embeds('ipv4-compatible', '127.0.0.1'), why: 'compatible loopback, padded' },
  { address: '::a00:1', verdict: 'refused', embeds: embeds('ipv4-compatible', '10.0.0.1'), why: 'compatible private' },
  { address: '::a9fe:a9fe', verdict: 'refused', embeds: embeds('ipv4-compatible', '169.254.169.254'), why: 'compatible metadata' },
  { address: '::2', verdict: 'refused', embeds: embeds('ipv4-compatible', '0.0.0.2'), why: 'compatible 0.0.0.0/8' },

  { address: '::ffff:0:8.8.8.8', verdict: 'allowed', embeds: embeds('ipv4-translated', '8.8.8.8'), why: 'translated, dotted' },
  { address: '::ffff:0:808:808', verdict: 'allowed', embeds: embeds('ipv4-translated', '8.8.8.8'), why: 'translated, hex' },
  { address: '::ffff:0:169.254.169.254', verdict: 'refused', embeds: embeds('ipv4-translated', '169.254.169.254'), why: 'translated metadata' },
  { address: '::ffff:0:7f00:1', verdict: 'refused', embeds: embeds('ipv4-translated', '127.0.0.1'), why: 'translated loopback' },

  { address: '64:ff9b::8.8.8.8', verdict: 'allowed', embeds: embeds('nat64', '8.8.8.8'), why: 'NAT64, dotted' },
  { address: '64:FF9B::808:808', verdict: 'allowed', embeds: embeds('nat64', '8.8.8.8'), why: 'NAT64, uppercase hex' },
  { address: '64:ff9b::7f00:1', verdict: 'refused', embeds: embeds('nat64', '127.0.0.1'), why: 'NAT64 loopback' },
  { address: '64:ff9b::10.0.0.1', verdict: 'refused', embeds: embeds('nat64', '10.0.0.1'), why: 'NAT64 private' },
  { address: '64:ff9b::a9fe:a9fe', verdict: 'refused', embeds: embeds('nat64', '169.254.169.254'), why: 'NAT64 metadata' },
  { address: '64:ff9b:1::808:808', verdict: 'refused', why: 'NAT64 local-use prefix, always' },
  { address: '64:ff9b:1::8.8.8.8', verdict: 'refused', why: 'NAT64 local-use prefix, dotted' },

  { address: '2002:808:808::1', verdict: 'allowed', embeds: embeds('6to4', '8.8.8.8'), why: '6to4 public' },
  { address: '2002:0808:0808:1234::ABCD', verdict: 'allowed', embeds: embeds('6to4', '8.8.8.8'), why: '6to4 public, padded' },
  { address: '2002:7f00:1::1', verdict: 'refused', embeds: embeds('6to4', '127.0.0.1'), why: '6to4 loopback' },
  { address: '2002:a00:1::1', verdict: 'refused', embeds: embeds('6to4', '10.0.0.1'), why: '6to4 private' },
  { address: '2002:a9fe:a9fe::', verdict: 'refused', embeds: embeds('6to4', '169.254.169.254'), why: '6to4 metadata' },

  { address: '2001:0:808:808::fefe:fefe', verdict: 'allowed', embeds: embeds('teredo', '8.8.8.8', '1.1.1.1'), why: 'Teredo, both public' },
  { address: '2001:0:808:808::f5ff:fffe', verdict: 'refused', embeds: embeds('teredo', '8.8.8.8', '10.0.0.1'), why: 'Teredo private client' },
  { address: '2001:0:7f00:1::fefe:fefe', verdict: 'refused', embeds: embeds('teredo', '127.0.0.1', '1.1.1.1'), why: 'Teredo loopback server' },
  {
    address: '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    verdict: 'refused',
    embeds: embeds('teredo', '65.54.227.120', '192.0.2.45'),
    why: 'Teredo documentation client',
  },
  { address: '2001::1', verdict: 'refused', embeds: embeds('teredo', '0.0.0.0', '255.255.255.254'), why: 'Teredo, neither public' },
];

/** The vectors a URL can carry: WHATWG URL refuses zone ids (they are tested apart). */
const URL_VECTORS = ADDRESS_VECTORS.filter((v) => !v.address.includes('%'));
const urlFor = (address: string): string => `https://${address.includes(':') ? `[${address}]` : address}/`;

describe('IPv6 addresses that embed IPv4', () => {
  const resolve = (lookup: ReturnType<typeof createGuardedLookup>, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((done) =>
      lookup('issuer.example', { all }, (err, address) => done({ err, address })),
    );

  it.each(ADDRESS_VECTORS)('isPublicUnicastAddress: $address is $verdict ($why)', ({ address, verdict }) => {
    expect(isPublicUnicastAddress(address)).toBe(verdict === 'allowed');
  });

  it.each(ADDRESS_VECTORS)('embeddedIPv4 finds what $address carries ($why)', ({ address, embeds: expected }) => {
    expect(embeddedIPv4(address)).toEqual(expected);
  });

  it('gives ::a.b.c.d its own IPv4-compatible reading, not the IPv4-mapped one ipaddr.js parses it as', () => {
    expect(embeddedIPv4('::127.0.0.1')).toEqual(embeddedIPv4('::7f00:1'));
    expect(embeddedIPv4('::127.0.0.1')).not.toEqual(embeddedIPv4('::ffff:127.0.0.1'));
  });

  it.each(['127.1', '0x7f000001', '2130706433', '0x08080808', '::ffff:0127.0.0.1', '64:ff9b::8.8.8.8.8', 'not-an-ip', ''])(
    'refuses %j, a spelling net.isIP does not accept',
    (address) => {
      expect(isPublicUnicastAddress(address)).toBe(false);
      expect(embeddedIPv4(address)).toBeUndefined();
    },
  );

  it.each(URL_VECTORS.filter((v) => v.verdict === 'refused'))(
    'get refuses $address in a URL with blocked_address before any connection ($why)',
    async ({ address, embeds: expected }) => {
      const connect = jest.spyOn(net.Socket.prototype, 'connect');
      const error = await expectCode(createGuardedFetcher().get(urlFor(address)), 'blocked_address');
      expect(connect).not.toHaveBeenCalled();
      if (expected) {
        expect(error.message).toMatch(/ embeds .+, which may not be fetched$/);
        for (const ipv4 of expected.ipv4) expect(error.message).toContain(ipv4);
      }
    },
  );

  // An allowed address goes on to connect; the spy stops it there, so nothing leaves the machine.
  it.each(URL_VECTORS.filter((v) => v.verdict === 'allowed'))(
    'get lets $address in a URL through to the connection ($why)',
    async ({ address }) => {
      const connect = jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
        throw new Error('stopped at connect');
      });
      const error = await expectCode(createGuardedFetcher().get(urlFor(address)), 'network');
      expect(error.message).toContain('stopped at connect');
      expect(connect).toHaveBeenCalledTimes(1);
      // The address connected to is the one judged, in the form WHATWG URL wrote it (hex, lowercase).
      const host = new URL(urlFor(address)).hostname.replace(/^\[|\]$/g, '');
      expect(connect.mock.calls[0]?.[0]).toMatchObject({ host, port: 443 });
    },
  );

  it('refuses a URL whose IPv6 host has a zone id, since WHATWG URL does not allow one', async () => {
    const connect = jest.spyOn(net.Socket.prototype, 'connect');
    await expectCode(createGuardedFetcher().get('https://[fe80::1%25eth0]/'), 'blocked_scheme');
    expect(connect).not.toHaveBeenCalled();
  });

  it('names the embedded IPv4 address in the refusal, for a literal host and for a DNS answer', async () => {
    const literal = await expectCode(createGuardedFetcher().get('https://[::ffff:0:169.254.169.254]/'), 'blocked_address');
    expect(literal.message).toBe('::ffff:0:a9fe:a9fe embeds 169.254.169.254 (IPv4-translated), which may not be fetched');

    const teredo = await expectCode(createGuardedFetcher().get('https://[2001:0:808:808::f5ff:fffe]/'), 'blocked_address');
    expect(teredo.message).toBe(
      '2001:0:808:808::f5ff:fffe embeds 8.8.8.8 (Teredo server) and 10.0.0.1 (Teredo client), which may not be fetched',
    );

    // Unit level: were the guard missing, a fetch by name would connect to this address, off the machine.
    const lookup = createGuardedLookup('https://issuer.example/', isPublicUnicastAddress, fakeLookup({ 'issuer.example': ['2002:7f00:1::1'] }));
    const { err } = await resolve(lookup, true);
    expect(err).toMatchObject({
      code: 'blocked_address',
      message: 'issuer.example resolves to 2002:7f00:1::1, which embeds 127.0.0.1 (6to4) and may not be fetched',
    });
  });

  it.each(ADDRESS_VECTORS.filter((v) => v.verdict === 'refused'))(
    'createGuardedLookup fails with blocked_address when DNS answers $address ($why)',
    async ({ address, embeds: expected }) => {
      const lookup = createGuardedLookup('https://issuer.example/', isPublicUnicastAddress, fakeLookup({ 'issuer.example': ['8.8.8.8', address] }));
      for (const all of [true, false]) {
        const { err } = await resolve(lookup, all);
        expect(err).toBeInstanceOf(RemoteFetchError);
        const error = err as unknown as RemoteFetchError;
        expect(error.code).toBe('blocked_address');
        expect(error.message).toContain(`resolves to ${address}, which `);
        if (expected) expect(error.message).toContain(`, which embeds ${expected.ipv4[0]} `);
      }
    },
  );

  it.each(ADDRESS_VECTORS.filter((v) => v.verdict === 'allowed'))(
    'createGuardedLookup passes $address when DNS answers it ($why)',
    async ({ address }) => {
      const lookup = createGuardedLookup('https://issuer.example/', isPublicUnicastAddress, fakeLookup({ 'issuer.example': [address] }));
      await expect(resolve(lookup, true)).resolves.toEqual({ err: null, address: [{ address, family: net.isIP(address) }] });
      await expect(resolve(lookup, false)).resolves.toEqual({ err: null, address });
    },
  );
});

describe('createGuardedFetcher: redirects', () => {
  it('follows redirects and reports the final URL', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/a') return void res.writeHead(302, { location: '/b' }).end();
      if (req.url === '/b') return void res.writeHead(301, { location: `${server.base}/c` }).end();
      json(res, 200, { at: req.url });
    });
    const response = await createGuardedFetcher(LOCAL).get(`${server.base}/a`);
    expect(response.url).toBe(`${server.base}/c`);
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b', '/c']);
  });

  // The first hop must reach this test's own 127.0.0.1 server while private addresses stay refused, so
  // these tests let exactly the literal '127.0.0.1' through and judge every other address by the real rule.
  const onlyTestServer = (a: string): boolean => a === '127.0.0.1' || isPublicUnicastAddress(a);

  it('refuses a redirect to a blocked literal address, without requesting it', async () => {
    const target = await startServer((_req, res) => json(res, 200, { leaked: true }));
    server = await startServer((_req, res) => void res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${target.port}/` }).end());
    const fetcher = createGuardedFetcher({ allowHttp: true }, { isAllowedAddress: onlyTestServer });
    const error = await expectCode(fetcher.get(`${server.base}/start`), 'blocked_address');
    expect(error.url).toBe(`http://[::ffff:7f00:1]:${target.port}/`);
    expect(server.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it('refuses a redirect to a name that resolves to a blocked address, without requesting it', async () => {
    const target = await startServer((_req, res) => json(res, 200, { leaked: true }));
    server = await startServer((_req, res) => void res.writeHead(307, { location: `http://localhost:${target.port}/` }).end());
    // Unguarded, this answer would lead straight to the target server.
    const lookup = fakeLookup({ localhost: ['::ffff:127.0.0.1'] });
    const fetcher = createGuardedFetcher({ allowHttp: true }, { isAllowedAddress: onlyTestServer, lookup });
    await expectCode(fetcher.get(`${server.base}/start`), 'blocked_address');
    expect(lookup.calls).toEqual(['localhost']);
    expect(target.requests).toHaveLength(0);
  });

  it('refuses a redirect to a blocked scheme', async () => {
    server = await startServer((_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    await expectCode(createGuardedFetcher(LOCAL).get(`${server.base}/start`), 'blocked_scheme');
  });

  it('gives up on a redirect loop with too_many_redirects after maxRedirects hops', async () => {
    server = await startServer((_req, res) => void res.writeHead(302, { location: '/loop' }).end());
    await expectCode(createGuardedFetcher({ ...LOCAL, maxRedirects: 3 }).get(`${server.base}/loop`), 'too_many_redirects');
    expect(server.requests).toHaveLength(4);
  });
});

describe('createGuardedFetcher: cache', () => {
  it('serves a second get within the TTL from the cache and fetches again after it', async () => {
    let n = 0;
    server = await startServer((_req, res) => json(res, 200, { n: ++n }));
    let clock = 1_000_000;
    const fetcher = createGuardedFetcher({ ...LOCAL, cacheTtlMs: 60_000 }, { now: () => clock });
    const url = `${server.base}/status-list`;

    await expect(fetcher.getJson(url)).resolves.toEqual({ n: 1 });
    clock += 59_999;
    await expect(fetcher.getJson(url)).resolves.toEqual({ n: 1 });
    expect(server.requests).toHaveLength(1);

    clock += 1;
    await expect(fetcher.getJson(url)).resolves.toEqual({ n: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('keys the cache on the Accept header too', async () => {
    server = await startServer((req, res) => json(res, 200, { accept: req.headers.accept }));
    const fetcher = createGuardedFetcher(LOCAL, { now: () => 0 });
    await expect(fetcher.getJson(`${server.base}/d`, { accept: 'application/did+json' })).resolves.toEqual({ accept: 'application/did+json' });
    await expect(fetcher.getJson(`${server.base}/d`, { accept: 'application/json' })).resolves.toEqual({ accept: 'application/json' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not cache a non-2xx answer', async () => {
    server = await startServer((_req, res) => json(res, 503, {}));
    const fetcher = createGuardedFetcher(LOCAL, { now: () => 0 });
    await expectCode(fetcher.get(`${server.base}/down`), 'http_status');
    await expectCode(fetcher.get(`${server.base}/down`), 'http_status');
    expect(server.requests).toHaveLength(2);
  });

  it('does not cache when cacheTtlMs is 0', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const fetcher = createGuardedFetcher({ ...LOCAL, cacheTtlMs: 0 }, { now: () => 0 });
    await fetcher.get(`${server.base}/x`);
    await fetcher.get(`${server.base}/x`);
    expect(server.requests).toHaveLength(2);
  });

  it('shares one request between concurrent identical gets, giving each caller its own body', async () => {
    server = await startServer((_req, res) => setTimeout(() => json(res, 200, { shared: true }), 30));
    const fetcher = createGuardedFetcher(LOCAL, { now: () => 0 });
    const [a, b] = await Promise.all([fetcher.get(`${server.base}/x`), fetcher.get(`${server.base}/x`)]);
    expect(server.requests).toHaveLength(1);
    expect(a.body.equals(b.body)).toBe(true);
    a.body.fill(0);
    expect(JSON.parse((await fetcher.get(`${server.base}/x`)).body.toString())).toEqual({ shared: true });
  });
});
