import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import request from 'supertest';
import type { Express } from 'express';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import { didWebDocumentUrl } from '../../src/organisations/did.js';
import type { Check, CheckId, VerificationReport } from '../../src/verify/report.js';
import { PUBLIC_URL } from './app.js';

/**
 * A document loader that knows only the bundled contexts and the DID documents the app serves over
 * HTTP (/.well-known/did.json, /orgs/<slug>/did.json): verification goes through the published DID
 * document, as a verifier's would.
 */
export function servedDidLoader(app: Express) {
  return createDocumentLoader([
    async (url) => {
      if (!url.startsWith('did:web:')) return undefined;
      const res = await request(app).get(new URL(didWebDocumentUrl(url.split('#')[0]!)).pathname).expect(200);
      const doc = JSON.parse(res.text) as { id: string; verificationMethod: Array<{ id: string }> };
      const [did, fragment] = url.split('#');
      if (did !== doc.id) return undefined;
      if (fragment === undefined) return doc;
      const method = doc.verificationMethod.find((m) => m.id === url);
      return method ? { '@context': 'https://w3id.org/security/multikey/v1', ...method } : undefined;
    },
  ]);
}

/** Reads the credential's BitstringStatusListEntry from the list the app serves. */
export function servedStatusCheck(app: Express) {
  return async (options: unknown) => {
    const { credential } = options as { credential: { credentialStatus: { statusListCredential: string; statusListIndex: string } } };
    const entry = credential.credentialStatus;
    const list = JSON.parse((await request(app).get(pathOf(entry.statusListCredential)).expect(200)).text);
    const bits = await decodeList({ encodedList: list.credentialSubject.encodedList });
    return { verified: !bits.getStatus(Number(entry.statusListIndex)) };
  };
}

export async function verifyWithDigitalBazaar(credential: unknown, app: Express) {
  const suite = new DataIntegrityProof({ cryptosuite });
  return vc.verifyCredential({ credential: structuredClone(credential), suite, documentLoader: servedDidLoader(app), checkStatus: servedStatusCheck(app) });
}

export const pathOf = (url: string): string => url.slice(PUBLIC_URL.length);

/** A supertest request whose body is read as raw bytes, whatever its type (images, baked badges). */
export const binary = (r: request.Test): request.Test =>
  r.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

/** One check of a report, by id; a report without it is a test failure of its own. */
export function checkOf(report: VerificationReport, id: CheckId): Check {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check in the report`);
  return found;
}

/** The proofs of a document, as a list. */
export const proofsOf = (doc: { proof?: unknown }): Array<Record<string, any>> => (Array.isArray(doc.proof) ? doc.proof : [doc.proof]) as Array<Record<string, any>>;
