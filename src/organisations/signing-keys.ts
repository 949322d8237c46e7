import { createPrivateKey, generateKeyPair as nodeGenerateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { OrganisationKeyRecord } from '../db/repositories.js';
import type { KeyEncryption } from '../keys/key-encryption.js';
import type { IssuerKeys } from '../keys/key-store.js';
import { ed25519PrivateKey } from '../keys/signers.js';

/**
 * An organisation's key pairs: an Ed25519 key for Data Integrity proofs (`eddsa-rdfc-2022`) and an RSA
 * key for VC-JWT (`RS256`, the algorithm OB 3.0 §8.2 requires at least). They are made together and
 * rotated together; the private halves are stored only as JWEs under the key-encryption key.
 */
const generateKeyPair = promisify(nodeGenerateKeyPair);

/** A pair of private keys as JWKs (RFC 8037 for Ed25519: `d` is the 32-byte seed). */
export interface PrivateJwks {
  ed25519: JWK;
  rsa: JWK;
}

const publicPart = (jwk: JWK): JWK => (jwk.kty === 'RSA' ? { kty: 'RSA', n: jwk.n!, e: jwk.e! } : { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! });

export const ed25519Multibase = async (publicJwk: JWK): Promise<string> => (await Ed25519Multikey.fromJwk({ jwk: publicJwk })).publicKeyMultibase;

export async function generatePrivateJwks(): Promise<PrivateJwks> {
  // Generated off the event loop: an RSA key takes tens of milliseconds.
  const [ed, rsa] = await Promise.all([generateKeyPair('ed25519'), generateKeyPair('rsa', { modulusLength: 2048 })]);
  return { ed25519: ed.privateKey.export({ format: 'jwk' }) as JWK, rsa: rsa.privateKey.export({ format: 'jwk' }) as JWK };
}

/** The instance's keys from KEYS_DIR as JWKs, so that they can join the database like any organisation's. */
export async function privateJwksOf(keys: IssuerKeys): Promise<PrivateJwks> {
  const ed = (await ed25519PrivateKey(keys.ed25519)).export({ format: 'jwk' }) as JWK;
  return { ed25519: ed, rsa: await exportJWK(keys.rsa.privateKey) };
}

/** The records of a key pair, the private halves encrypted for this organisation. */
export async function keyRecords(
  orgId: string,
  jwks: PrivateJwks,
  { encryption, now, randomUUID }: { encryption: KeyEncryption; now: () => Date; randomUUID: () => string },
): Promise<OrganisationKeyRecord[]> {
  const createdAt = now().toISOString();
  const edPublic = publicPart(jwks.ed25519);
  const rsaPublic = publicPart(jwks.rsa);
  const entries: Array<{ type: OrganisationKeyRecord['type']; name: string; pub: JWK; priv: JWK }> = [
    { type: 'Ed25519', name: await ed25519Multibase(edPublic), pub: edPublic, priv: jwks.ed25519 },
    { type: 'RSA', name: await calculateJwkThumbprint(rsaPublic), pub: rsaPublic, priv: jwks.rsa },
  ];
  return Promise.all(
    entries.map(async ({ type, name, pub, priv }) => {
      const id = randomUUID();
      return { id, orgId, type, name, publicJwk: pub as Record<string, unknown>, privateJwe: await encryption.encrypt(priv, { orgId, keyId: id }), createdAt, retiredAt: null };
    }),
  );
}

/** A stored private key, decrypted and imported once. */
export async function importPrivateKey(record: OrganisationKeyRecord, encryption: KeyEncryption): Promise<KeyObject> {
  const jwk = await encryption.decrypt(record.privateJwe, { orgId: record.orgId, keyId: record.id });
  return createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
}
