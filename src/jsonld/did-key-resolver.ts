import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { CONTEXT } from './contexts.js';
import type { DocumentResolver } from './document-loader.js';

/**
 * did:key for Ed25519 (did:key method §3.1.1), resolved locally: the DID is the key, so nothing
 * is fetched. Returns the DID document, or the verification method when a fragment is given.
 */
export const didKeyResolver: DocumentResolver = async (url) => {
  if (!url.startsWith('did:key:z6Mk')) return undefined;
  const [did, fragment] = url.split('#') as [string, string | undefined];
  const multibase = did.slice('did:key:'.length);
  if (fragment !== undefined && fragment !== multibase) return undefined;
  try {
    await Ed25519Multikey.from({ type: 'Multikey', publicKeyMultibase: multibase });
  } catch {
    return undefined;
  }
  const method = { id: `${did}#${multibase}`, type: 'Multikey', controller: did, publicKeyMultibase: multibase };
  if (fragment !== undefined) return { '@context': CONTEXT.multikey, ...method };
  return {
    '@context': [CONTEXT.did, CONTEXT.multikey],
    id: did,
    verificationMethod: [method],
    assertionMethod: [method.id],
    authentication: [method.id],
  };
};
