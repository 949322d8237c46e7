import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { jest } from '@jest/globals';
import request from 'supertest';
import { verifyCredential } from '@digitalcredentials/verifier-core';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { didKeyResolver } from '../../src/jsonld/did-key-resolver.js';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';

type VerifierInput = Parameters<typeof verifyCredential>[0]['credential'];
import { addProvider } from '../../src/organisations/api-keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';

/**
 * Credentials issued with ISSUER_DID=key, checked by @digitalcredentials/verifier-core, a verifier we
 * did not write. It resolves did:key and its bundled contexts offline; the only thing it fetches is the
 * 1EdTech JSON Schema named in `credentialSchema`, which is answered here from the bundled copy so the
 * test stays off the network.
 */
const SCHEMA_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const schemaText = readFileSync(new URL('../../schemas/ob_v3p0_achievementcredential_schema.json', import.meta.url), 'utf8');

type Step = { id: string; valid?: boolean };
type Result = { log?: Step[]; errors?: Array<{ name: string }>; additionalInformation?: Array<{ id: string; results: unknown }> };

let t: TestApp;
let server: Server;
const realFetch = globalThis.fetch;
const requested: string[] = [];

beforeAll(async () => {
  // The status list is served over HTTP from 127.0.0.1, where verifier-core fetches it.
  const port = await freePort();
  t = await startTestApp({ ISSUER_DID: 'key', PUBLIC_URL: `http://127.0.0.1:${port}` });
  server = t.app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requested.push(url);
    if (url === SCHEMA_URL) return new Response(schemaText, { status: 200, headers: { 'content-type': 'application/json' } });
    // did:web documents are fetched over https (did:web §3.2.2); this test's server speaks http only.
    const httpsHere = `https://127.0.0.1:${port}/`;
    if (url.startsWith(httpsHere)) return realFetch(`http://127.0.0.1:${port}/${url.slice(httpsHere.length)}`, init);
    return realFetch(input, init);
  }) as typeof fetch;
  // verifier-core reports schema fetch problems and Ajv strict-mode notes on the console.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  server.close();
  await once(server, 'close');
  t.close();
});

async function issue(apiKey = t.apiKey): Promise<Record<string, unknown> & { id: string }> {
  const { slug } = t.ctx.catalog.list()[0]!.badgeClass;
  const res = await request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${apiKey}`)
    .send({ badgeClass: slug, recipient: { email: 'learner@example.org' }, evidence: [{ narrative: 'Completed the practice log.' }], language: 'lt' })
    .expect(201);
  return res.body.credential;
}

const step = (r: Result, id: string) => r.log?.find((s) => s.id === id);

describe('@digitalcredentials/verifier-core', () => {
  it('verifies the signature of a credential we issue with did:key, and its schema check passes', async () => {
    const credential = await issue();
    expect((credential.issuer as { id: string }).id).toMatch(/^did:key:z6Mk/);
    // The starter badges state the EU micro-credential elements, under the context the credential embeds.
    expect(((credential.credentialSubject as { achievement: Record<string, unknown> }).achievement.microCredential as { type: string }).type).toBe('MicroCredentialDescription');
    const result = (await verifyCredential({ credential: credential as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
    expect(result.errors).toBeUndefined();
    expect(step(result, 'valid_signature')).toEqual({ id: 'valid_signature', valid: true });
    expect(step(result, 'expiration')?.valid).toBe(true);
    const schemaCheck = result.additionalInformation?.find((i) => i.id === 'schema_check');
    expect(schemaCheck?.results).toEqual([expect.objectContaining({ result: { valid: true } })]);
    expect(step(result, 'revocation_status')).toEqual({ id: 'revocation_status', valid: true });
    // Nothing but the schema stub and our own status list on 127.0.0.1 was requested.
    expect(requested.filter((u) => u !== SCHEMA_URL && !u.startsWith(t.config.publicUrl))).toEqual([]);
  });

  it('reports a changed copy as an invalid signature', async () => {
    const credential = await issue();
    const tampered = structuredClone(credential) as unknown as { credentialSubject: { achievement: { name: string } } };
    tampered.credentialSubject.achievement.name = 'Advanced Surgery';
    const result = (await verifyCredential({ credential: tampered as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
    expect(result.errors?.map((e) => e.name)).toContain('invalid_signature');
  });

  it('reports a revoked credential as revoked once the provider revokes it', async () => {
    const credential = await issue();
    const before = (await verifyCredential({ credential: credential as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
    expect(step(before, 'revocation_status')?.valid).toBe(true);
    const id = credential.id.split('/').pop()!;
    await request(t.app)
      .post(`/api/v1/credentials/${id}/revoke`)
      .set('Authorization', `Bearer ${t.apiKey}`)
      .send({ reason: 'Issued to the wrong learner' })
      .expect(200);
    const after = (await verifyCredential({ credential: credential as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
    expect(step(after, 'valid_signature')?.valid).toBe(true);
    expect(step(after, 'revocation_status')).toEqual({ id: 'revocation_status', valid: false });
  });

  it('verifies credentials of an organisation through its did:web document, from before and after a key rotation', async () => {
    const { org, apiKey } = await addProvider(t.ctx, 'IPERIA', ['*'], 'iperia');
    const port = new URL(t.config.publicUrl).port;
    const before = await issue(apiKey);
    expect((before.issuer as { id: string }).id).toBe(`did:web:127.0.0.1%3A${port}:orgs:iperia`);
    // verifier-core keeps DID documents it resolved: it first sees this one after the rotation.
    await t.ctx.organisations.rotateKeys(org.id);
    const after = await issue(apiKey);
    expect((after.proof as Array<{ verificationMethod: string }>)[0]!.verificationMethod).not.toBe((before.proof as Array<{ verificationMethod: string }>)[0]!.verificationMethod);
    requested.length = 0;
    for (const credential of [before, after]) {
      const result = (await verifyCredential({ credential: credential as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
      expect(result.errors).toBeUndefined();
      expect(step(result, 'valid_signature')).toEqual({ id: 'valid_signature', valid: true });
      expect(step(result, 'revocation_status')).toEqual({ id: 'revocation_status', valid: true });
    }
    // It resolved the organisation's DID through the document we serve.
    expect(requested).toContain(`https://127.0.0.1:${port}/orgs/iperia/did.json`);
  });

  it('verifies an EndorsementCredential one organisation issued for another\'s badge class, through the endorser\'s did:web document', async () => {
    const { apiKey } = await addProvider(t.ctx, 'Certification Body', ['*'], 'certification-body');
    const res = await request(t.app).post('/api/v1/endorsements').set('Authorization', `Bearer ${apiKey}`).send({ subject: { badgeClass: 'carer-plus-digital-communication' }, comment: 'Assessed against the national standard.' }).expect(201);
    const endorsement = res.body.credential as Record<string, unknown>;
    requested.length = 0;
    const result = (await verifyCredential({ credential: endorsement as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
    expect(result.errors).toBeUndefined();
    expect(step(result, 'valid_signature')).toEqual({ id: 'valid_signature', valid: true });
    const port = new URL(t.config.publicUrl).port;
    expect(requested).toContain(`https://127.0.0.1:${port}/orgs/certification-body/did.json`);
    const changed = { ...endorsement, credentialSubject: { ...(endorsement.credentialSubject as object), endorsementComment: 'Outstanding.' } };
    const refused = (await verifyCredential({ credential: changed as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
    expect(step(refused, 'valid_signature')?.valid ?? false).toBe(false);
  });
});

describe('our suspension lists, read by @digitalbazaar/vc-bitstring-status-list', () => {
  /**
   * Our credentials carry one credentialStatus (OB 3.0 allows no more), the revocation entry, so a
   * verifier elsewhere reads only revocation. The suspension list beside it is a W3C Bitstring Status
   * List all the same: here the library fetches it over HTTP for an entry naming it, verifies its
   * signature with the issuer's did:key, checks that its issuer is the credential's, and reads the bit.
   */
  const loader = createDocumentLoader([
    async (url) => (url.startsWith(`${t.config.publicUrl}/status/`) ? (await realFetch(url)).json() : undefined),
    didKeyResolver,
  ]);
  const withSuspensionEntry = (credential: Record<string, unknown>) => {
    const revocation = credential.credentialStatus as { statusListCredential: string; statusListIndex: string };
    const url = `${revocation.statusListCredential}/suspension`;
    const suspension = { id: `${url}#${revocation.statusListIndex}`, type: 'BitstringStatusListEntry', statusPurpose: 'suspension', statusListIndex: revocation.statusListIndex, statusListCredential: url };
    return { ...credential, credentialStatus: [revocation, suspension] };
  };
  const statusOf = async (credential: Record<string, unknown>) => {
    const result = await checkStatus({ credential, documentLoader: loader, suite: new DataIntegrityProof({ cryptosuite }), verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    return Object.fromEntries(result.results!.map((r) => [String(r.credentialStatus.statusPurpose), r.status]));
  };

  it('verifies the signed suspension list and reads the bit set by a suspension and cleared by a reinstatement', async () => {
    const credential = await issue();
    const id = credential.id.split('/').pop()!;
    const withEntry = withSuspensionEntry(credential);
    expect(await statusOf(withEntry)).toEqual({ revocation: false, suspension: false });

    await request(t.app).post(`/api/v1/credentials/${id}/suspend`).set('Authorization', `Bearer ${t.apiKey}`).send({ reason: 'Under review' }).expect(200);
    expect(await statusOf(withEntry)).toEqual({ revocation: false, suspension: true });
    // A verifier that reads only the credential's own entry (revocation) still sees it valid: what
    // one credentialStatus allows. Our own verifier and pages read the suspension list too.
    const outside = (await verifyCredential({ credential: credential as unknown as VerifierInput, knownDIDRegistries: [] })) as Result;
    expect(step(outside, 'revocation_status')).toEqual({ id: 'revocation_status', valid: true });
    expect((await t.ctx.verifier.verify({ credential })).checks.find((c) => c.id === 'status')).toMatchObject({ status: 'failed', code: 'suspended' });

    await request(t.app).post(`/api/v1/credentials/${id}/reinstate`).set('Authorization', `Bearer ${t.apiKey}`).expect(200);
    expect(await statusOf(withEntry)).toEqual({ revocation: false, suspension: false });
  });
});
