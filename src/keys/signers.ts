import { KeyObject, createPrivateKey, sign } from 'node:crypto';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Ed25519KeyPair } from '@digitalbazaar/ed25519-multikey';
import type { CryptoKey } from 'jose';
import type { Signer } from '../proofs/proof-format.js';

/**
 * Private keys as Node `KeyObject`s, imported once: the key libraries' own signers re-create the key
 * from its bytes on every signature. KeyObjects can also be handed to worker threads.
 */
export async function ed25519PrivateKey(pair: Ed25519KeyPair): Promise<KeyObject> {
  const jwk = (await Ed25519Multikey.toJwk({ keyPair: pair, secretKey: true })) as { x: string; d: string };
  // The library's `d` is the 64-byte secret key (seed and public key); RFC 8037's `d` is the seed.
  const seed = Buffer.from(jwk.d, 'base64url').subarray(0, 32).toString('base64url');
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: seed }, format: 'jwk' });
}

export const rsaPrivateKey = (key: CryptoKey | KeyObject): KeyObject => (key instanceof KeyObject ? key : KeyObject.from(key));

/** A Data Integrity signer (the shape @digitalbazaar suites call) over an Ed25519 KeyObject. */
export function ed25519Signer(privateKey: KeyObject, verificationMethod: string): Signer {
  return {
    id: verificationMethod,
    algorithm: 'Ed25519',
    sign: async ({ data }) => new Uint8Array(sign(null, data, privateKey)),
  };
}
