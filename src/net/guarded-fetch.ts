import dns, { type LookupAddress } from 'node:dns';
import http, { type ClientRequest } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one way the verifier reaches other issuers' documents (did:web DID documents, https verification
 * methods, status list credentials). Every request is https-only, may not reach loopback / private /
 * link-local / metadata addresses, is capped in time and size, and re-checks every redirect target.
 */

export interface FetchPolicy {
  /** Allow plain http. Off by default: remote documents are fetched over https only. */
  allowHttp: boolean;
  /** Allow any address. Off by default: only globally routable unicast addresses may be reached. */
  allowPrivateAddresses: boolean;
  /** Limit for the whole request, redirects and body included. */
  timeoutMs: number;
  /** Limit on the response body, checked against content-length and while reading. */
  maxBytes: number;
  /** How long a successful response is reused; 0 disables the cache. */
  cacheTtlMs: number;
  /** Redirects followed before giving up; each target passes the same checks as the first URL. */
  maxRedirects: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = Object.freeze({
  allowHttp: false,
  allowPrivateAddresses: false,
  timeoutMs: 5000,
  maxBytes: 1024 * 1024,
  cacheTtlMs: 60_000,
  maxRedirects: 3,
});

export type RemoteFetchErrorCode =
  | 'blocked_scheme'
  | 'blocked_address'
  | 'timeout'
  | 'too_large'
  | 'http_status'
  | 'invalid_json'
  | 'network'
  | 'too_many_redirects';

export class RemoteFetchError extends Error {
  readonly code: RemoteFetchErrorCode;
  /** The URL the failure concerns; after a redirect, the redirect target. */
  readonly url: string;
  /** The HTTP status, for 'http_status'. */
  readonly status: number | undefined;

  constructor(code: RemoteFetchErrorCode, url: string, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RemoteFetchError';
    this.code = code;
    this.url = url;
    this.status = options?.status;
  }
}

export const isRemoteFetchError = (e: unknown): e is RemoteFetchError => e instanceof RemoteFetchError;

export interface RemoteResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export interface GetOptions {
  /** The Accept header; `*\/*` for `get`, `application/json` for `getJson` unless given. */
  accept?: string;
}

export interface GuardedFetcher {
  /** Resolves with a 2xx response; anything else rejects with a RemoteFetchError. */
  get(url: string, options?: GetOptions): Promise<RemoteResponse>;
  /** `get`, then the body parsed as UTF-8 JSON ('invalid_json' when it is not). */
  getJson(url: string, options?: GetOptions): Promise<unknown>;
}

/** A `dns.lookup`-compatible resolver asked for every address of a name. */
export type LookupAll = (
  hostname: string,
  options: { all: true; family?: number | 'IPv4' | 'IPv6' },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface GuardedFetcherDeps {
  /** Clock for the cache. */
  now?: () => number;
  /** Resolver used for host names (default `dns.lookup`). */
  lookup?: LookupAll;
  /**
   * Replaces the address rule when `allowPrivateAddresses` is false. For tests only: it lets a test reach
   * its own 127.0.0.1 server while every other address stays refused.
   */
  isAllowedAddress?: (address: string) => boolean;
}

const USER_AGENT = 'care-badges-verifier';
const MAX_CACHE_ENTRIES = 500;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The IPv6 forms that carry an IPv4 address in fixed bits, each judged by the IPv4 address it carries. */
export type IPv4EmbeddingForm = 'ipv4-mapped' | 'ipv4-compatible' | 'ipv4-translated' | 'nat64' | '6to4' | 'teredo';

export interface IPv4Embedding {
  form: IPv4EmbeddingForm;
  /** Dotted IPv4; for Teredo the server, then the client. */
  ipv4: string[];
}

const dotted = (bytes: number[]): string => bytes.join('.');

/**
 * Where each form keeps its IPv4 address. Matched on the 16 address bytes rather than on ipaddr.js range
 * names: those names do not cover ::/96, and ipaddr.js gives no way to read the IPv4 out of any form but
 * ::ffff:0:0/96.
 */
const EMBEDDINGS: { form: IPv4EmbeddingForm; prefix: ipaddr.IPv6; bits: number; ipv4: (b: number[]) => string[] }[] = [
  // RFC 4291 §2.5.5.2
  { form: 'ipv4-mapped', prefix: ipaddr.IPv6.parse('::ffff:0:0'), bits: 96, ipv4: (b) => [dotted(b.slice(12))] },
  // RFC 4291 §2.5.5.1 (deprecated, but the stack may still route it); :: and ::1 are excluded by the caller.
  { form: 'ipv4-compatible', prefix: ipaddr.IPv6.parse('::'), bits: 96, ipv4: (b) => [dotted(b.slice(12))] },
  // RFC 2765 §2.1 / RFC 6145: the IPv4-translated form ::ffff:0:a.b.c.d.
  { form: 'ipv4-translated', prefix: ipaddr.IPv6.parse('::ffff:0:0:0'), bits: 96, ipv4: (b) => [dotted(b.slice(12))] },
  // RFC 6052 §2.1 well-known prefix; §3.1 forbids it for non-global IPv4, and the rule below enforces that.
  { form: 'nat64', prefix: ipaddr.IPv6.parse('64:ff9b::'), bits: 96, ipv4: (b) => [dotted(b.slice(12))] },
  // RFC 3056 §2: 2002:V4ADDR::/48, the IPv4 address in bits 16-47.
  { form: '6to4', prefix: ipaddr.IPv6.parse('2002::'), bits: 16, ipv4: (b) => [dotted(b.slice(2, 6))] },
  // RFC 4380 §4: server IPv4 in bits 32-63, client IPv4 in the last 32 bits with every bit inverted.
  {
    form: 'teredo',
    prefix: ipaddr.IPv6.parse('2001::'),
    bits: 32,
    ipv4: (b) => [dotted(b.slice(4, 8)), dotted(b.slice(12).map((x) => x ^ 0xff))],
  },
];

/**
 * RFC 8215 local-use NAT64 prefix. Refused whatever follows: the network picks the prefix length
 * (RFC 6052 §2.2), so the IPv4 address cannot be located, and it leads into a local translator anyway.
 */
const NAT64_LOCAL_USE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('64:ff9b:1::'), 48];

/**
 * Parses an address exactly as Node will connect to it, or returns undefined. Only spellings `net.isIP`
 * accepts are judged (so no `127.1`, `0x7f.1` or zero-padded octets whose meaning differs between parsers).
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const version = net.isIP(address);
  try {
    if (version === 4) return ipaddr.IPv4.parse(address);
    if (version !== 6) return undefined;
    // ipaddr.js 2.x reads `::a.b.c.d` as `::ffff:a.b.c.d`, a different address (RFC 4291 §2.5.5), so a
    // dotted tail is rewritten as two hex groups before it parses. The zone id does not change the bits.
    const hex = address
      .replace(/%.*$/s, '')
      .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
        `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
      );
    return ipaddr.IPv6.parse(hex);
  } catch {
    return undefined;
  }
}

function embeddingOf(parsed: ipaddr.IPv6): IPv4Embedding | undefined {
  const bytes = parsed.toByteArray();
  // :: and ::1 sit in ::/96 but are the unspecified and loopback addresses (RFC 4291 §2.5.2, §2.5.3).
  if (bytes.every((x, i) => x === 0 || (i === 15 && x === 1))) return undefined;
  const found = EMBEDDINGS.find((e) => parsed.match(e.prefix, e.bits));
  return found && { form: found.form, ipv4: found.ipv4(bytes) };
}

/**
 * The IPv4 address(es) an IPv6 address carries, by the form that carries them; undefined for IPv4, for
 * IPv6 that embeds nothing, and for anything that is not an address.
 */
export function embeddedIPv4(address: string): IPv4Embedding | undefined {
  const parsed = parseAddress(address);
  return parsed?.kind() === 'ipv6' ? embeddingOf(parsed as ipaddr.IPv6) : undefined;
}

/**
 * True only for globally routable unicast addresses (ipaddr.js range 'unicast'). An IPv6 address that embeds
 * IPv4 reaches that IPv4 host through a translator or tunnel, so it passes only when every IPv4 address it
 * embeds is itself 'unicast' (`64:ff9b::8.8.8.8` yes, `64:ff9b::7f00:1` no). Scoped addresses (with a zone
 * id, RFC 4007 §11) and the RFC 8215 local-use NAT64 prefix are always refused.
 */
export function isPublicUnicastAddress(address: string): boolean {
  if (address.includes('%')) return false;
  const parsed = parseAddress(address);
  if (parsed === undefined) return false;
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const ipv6 = parsed as ipaddr.IPv6;
  if (ipv6.match(NAT64_LOCAL_USE)) return false;
  const embedded = embeddingOf(ipv6);
  if (embedded) return embedded.ipv4.every((ipv4) => ipaddr.IPv4.parse(ipv4).range() === 'unicast');
  return ipv6.range() === 'unicast';
}

const FORM_NAMES: Record<IPv4EmbeddingForm, string> = {
  'ipv4-mapped': 'IPv4-mapped',
  'ipv4-compatible': 'IPv4-compatible',
  'ipv4-translated': 'IPv4-translated',
  nat64: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
};

/**
 * `embeds 127.0.0.1 (6to4)`, or undefined when the address embeds no IPv4, so a refusal names the IPv4
 * host that would really have been reached.
 */
function describeEmbedded(address: string): string | undefined {
  const embedded = embeddedIPv4(address);
  if (embedded === undefined) return undefined;
  const name = FORM_NAMES[embedded.form];
  const [server, client] = embedded.ipv4;
  return embedded.form === 'teredo'
    ? `embeds ${server} (${name} server) and ${client} (${name} client)`
    : `embeds ${server} (${name})`;
}

/**
 * A `lookup` for `http.request` that resolves every address of the name and fails if any of them is
 * refused. The socket connects to the address returned here, so a name cannot pass the check and then
 * re-resolve (DNS rebinding) to a private address at connect time.
 */
export function createGuardedLookup(
  url: string,
  isAllowed: (address: string) => boolean,
  lookup: LookupAll = dns.lookup,
): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === undefined || options.family === 0 ? undefined : options.family;
    lookup(hostname, family === undefined ? { all: true } : { all: true, family }, (err, addresses) => {
      if (err) {
        callback(err, options.all ? [] : '', 0);
        return;
      }
      if (addresses.length === 0) {
        const notFound: NodeJS.ErrnoException = new Error(`no address found for ${hostname}`);
        notFound.code = 'ENOTFOUND';
        callback(notFound, options.all ? [] : '', 0);
        return;
      }
      const refused = addresses.find((a) => !isAllowed(a.address));
      if (refused) {
        const embeds = describeEmbedded(refused.address);
        const error = new RemoteFetchError(
          'blocked_address',
          url,
          `${hostname} resolves to ${refused.address}, which ${embeds === undefined ? '' : `${embeds} and `}may not be fetched`,
        );
        callback(error as NodeJS.ErrnoException, options.all ? [] : '', 0);
        return;
      }
      if (options.all) {
        callback(null, addresses);
      } else {
        const first = addresses[0] as LookupAddress;
        callback(null, first.address, first.family);
      }
    });
  };
}

export function createGuardedFetcher(policy: Partial<FetchPolicy> = {}, deps: GuardedFetcherDeps = {}): GuardedFetcher {
  const rules = resolvePolicy(policy);
  const now = deps.now ?? Date.now;
  const isAllowed = rules.allowPrivateAddresses ? () => true : (deps.isAllowedAddress ?? isPublicUnicastAddress);
  const lookup = deps.lookup ?? dns.lookup;
  const cache = new Map<string, { response: RemoteResponse; expiresAt: number }>();
  const inFlight = new Map<string, Promise<RemoteResponse>>();

  const fetchFollowingRedirects = async (first: URL, accept: string): Promise<RemoteResponse> => {
    const deadline = Date.now() + rules.timeoutMs;
    let current = first;
    for (let redirects = 0; ; redirects += 1) {
      const hop = await requestOnce(current, accept, rules, isAllowed, lookup, deadline);
      if (hop.kind === 'response') return { url: current.href, ...hop.response };
      if (redirects >= rules.maxRedirects) {
        throw new RemoteFetchError('too_many_redirects', current.href, `more than ${rules.maxRedirects} redirects starting from ${first.href}`);
      }
      let next: URL;
      try {
        next = new URL(hop.location, current);
      } catch (cause) {
        throw new RemoteFetchError('http_status', current.href, `${current.href} redirects to an invalid Location`, { status: hop.status, cause });
      }
      current = checkUrl(next.href, rules, isAllowed);
    }
  };

  const get = async (url: string, options: GetOptions = {}): Promise<RemoteResponse> => {
    const accept = options.accept ?? '*/*';
    const target = checkUrl(url, rules, isAllowed);
    const key = `${accept}\n${target.href}`;

    const cached = cache.get(key);
    if (cached) {
      if (cached.expiresAt > now()) return copy(cached.response);
      cache.delete(key);
    }

    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchFollowingRedirects(target, accept);
      inFlight.set(key, pending);
      const settled = () => inFlight.delete(key);
      pending.then(
        (response) => {
          settled();
          remember(key, response);
        },
        settled,
      );
    }
    return copy(await pending);
  };

  const remember = (key: string, response: RemoteResponse): void => {
    if (rules.cacheTtlMs <= 0) return;
    cache.delete(key);
    cache.set(key, { response, expiresAt: now() + rules.cacheTtlMs });
    if (cache.size > MAX_CACHE_ENTRIES) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
  };

  const getJson = async (url: string, options: GetOptions = {}): Promise<unknown> => {
    const response = await get(url, { accept: options.accept ?? 'application/json' });
    try {
      // fatal: a body that is not UTF-8 is not JSON (RFC 8259 §8.1); TextDecoder also drops a BOM.
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
    } catch (cause) {
      throw new RemoteFetchError('invalid_json', response.url, `${response.url} did not return valid JSON`, { cause });
    }
  };

  return { get, getJson };
}

function resolvePolicy(policy: Partial<FetchPolicy>): FetchPolicy {
  const defined = Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)) as Partial<FetchPolicy>;
  const rules = { ...DEFAULT_FETCH_POLICY, ...defined };
  for (const name of ['timeoutMs', 'maxBytes', 'cacheTtlMs', 'maxRedirects'] as const) {
    if (!Number.isFinite(rules[name]) || rules[name] < 0) throw new RangeError(`fetch policy "${name}" must be a finite number >= 0`);
  }
  return rules;
}

/** The checks made before any connection, for the first URL and every redirect target. */
function checkUrl(url: string, rules: FetchPolicy, isAllowed: (address: string) => boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new RemoteFetchError('blocked_scheme', url, `"${url}" is not a valid URL`, { cause });
  }
  const allowed = rules.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(parsed.protocol)) {
    throw new RemoteFetchError('blocked_scheme', parsed.href, `${parsed.protocol} URLs may not be fetched (${allowed.join(' or ')} only)`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new RemoteFetchError('blocked_scheme', redactCredentials(parsed), 'URLs with credentials may not be fetched');
  }
  // WHATWG URL parsing has already turned 2130706433, 0x7f.1, 127.1 ... into dotted IPv4. Literal
  // addresses never reach `lookup`, so they are judged here.
  const host = hostOf(parsed);
  if (net.isIP(host) !== 0 && !isAllowed(host)) {
    const embeds = describeEmbedded(host);
    throw new RemoteFetchError('blocked_address', parsed.href, `${host}${embeds === undefined ? '' : ` ${embeds}, which`} may not be fetched`);
  }
  return parsed;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') && url.hostname.endsWith(']') ? url.hostname.slice(1, -1) : url.hostname;
}

function redactCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function copy(response: RemoteResponse): RemoteResponse {
  // The cache holds one Buffer; callers get their own so they cannot change what the next caller sees.
  return { ...response, body: Buffer.from(response.body) };
}

type Hop =
  | { kind: 'response'; response: Omit<RemoteResponse, 'url'> }
  | { kind: 'redirect'; status: number; location: string };

function requestOnce(
  url: URL,
  accept: string,
  rules: FetchPolicy,
  isAllowed: (address: string) => boolean,
  lookup: LookupAll,
  deadline: number,
): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    let req: ClientRequest | undefined;
    let done = false;
    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      settle();
    };
    const fail = (error: RemoteFetchError): void =>
      finish(() => {
        req?.destroy();
        reject(error);
      });
    const timer = setTimeout(
      () => fail(new RemoteFetchError('timeout', url.href, `${url.href} did not answer within ${rules.timeoutMs} ms`)),
      Math.max(0, deadline - Date.now()),
    );

    try {
      req = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: hostOf(url),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        // No cookies and no compression: the size cap applies to the bytes as sent.
        headers: { 'user-agent': USER_AGENT, accept, 'accept-encoding': 'identity' },
        // A fresh connection per request: a pooled socket might have been opened under another policy.
        agent: false,
        lookup: createGuardedLookup(url.href, isAllowed, lookup),
      });
    } catch (cause) {
      fail(asFetchError(cause, url));
      return;
    }

    req.on('error', (cause) => fail(asFetchError(cause, url)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        finish(() => {
          res.destroy();
          req?.destroy();
          resolve({ kind: 'redirect', status, location });
        });
        return;
      }
      if (status < 200 || status > 299) {
        fail(new RemoteFetchError('http_status', url.href, `${url.href} answered HTTP ${status}`, { status }));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > rules.maxBytes) {
        fail(new RemoteFetchError('too_large', url.href, `${url.href} declares ${declared} bytes, over the ${rules.maxBytes}-byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > rules.maxBytes) {
          fail(new RemoteFetchError('too_large', url.href, `${url.href} sent more than ${rules.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        finish(() =>
          resolve({
            kind: 'response',
            response: { status, contentType: res.headers['content-type'], body: Buffer.concat(chunks, received) },
          }),
        ),
      );
      res.on('error', (cause) => fail(asFetchError(cause, url)));
      res.on('close', () => {
        if (!res.complete) fail(new RemoteFetchError('network', url.href, `${url.href} closed the connection before the body was complete`));
      });
    });
    req.end();
  });
}

function asFetchError(cause: unknown, url: URL): RemoteFetchError {
  if (cause instanceof RemoteFetchError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new RemoteFetchError('network', url.href, `could not fetch ${url.href}: ${reason}`, { cause });
}
