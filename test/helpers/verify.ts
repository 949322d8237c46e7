import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import request from 'supertest';
import type { Express } from 'express';
import { createDocumentLoader } from '../../src/jsonld/document-loader.js';
import { PUBLIC_URL } from './app.js';

/**
 * A document loader that knows only the bundled contexts and what the app serves over HTTP at
 * /.well-known/did.json: verification goes through the published DID document, as a verifier's would.
 */
export function servedDidLoader(app: Express) {
  return createDocumentLoader([
    async (url) => {
      if (!url.startsWith('did:web:')) return undefined;
      const res = await request(app).get('/.well-known/did.json').expect(200);
      const doc = JSON.parse(res.text) as { id: string; verificationMethod: Array<{ id: string }> };
      const [did, fragment] = url.split('#');
      if (did !== doc.id) return undefined;
      if (fragment === undefined) return doc;
      const method = doc.verificationMethod.find((m) => m.id === url);
      return method ? { '@context': 'https://w3id.org/security/multikey/v1', ...method } : undefined;
    },
  ]);
}

export async function verifyWithDigitalBazaar(credential: unknown, app: Express) {
  const suite = new DataIntegrityProof({ cryptosuite });
  return vc.verifyCredential({ credential: structuredClone(credential), suite, documentLoader: servedDidLoader(app) });
}

export const pathOf = (url: string): string => url.slice(PUBLIC_URL.length);
