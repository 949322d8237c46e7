import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Ed25519KeyPair } from '@digitalbazaar/ed25519-multikey';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';

/**
 * The issuer's signing keys, kept in KEYS_DIR:
 * - `ed25519.multikey.json`: the Ed25519 key (Multikey, multibase) for Data Integrity `eddsa-rdfc-2022`;
 * - `rsa.private.jwk.json`: the RSA key for VC-JWT `RS256`, the algorithm OB 3.0 §8.2 requires as a minimum.
 * Private key files are written with mode 0600 and never served or logged.
 */
export const ED25519_FILE = 'ed25519.multikey.json';
export const RSA_FILE = 'rsa.private.jwk.json';

const ed25519FileSchema = z.object({
  type: z.literal('Multikey'),
  publicKeyMultibase: z.string().regex(/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/, 'must be a base58btc Ed25519 public key (z6Mk...)'),
  secretKeyMultibase: z.string().regex(/^z[1-9A-HJ-NP-Za-km-z]+$/, 'must be a base58btc multibase secret key'),
});
const rsaFileSchema = z
  .object({ kty: z.literal('RSA'), n: z.string().min(300), e: z.string(), d: z.string(), p: z.string(), q: z.string() })
  .loose();

export interface RsaKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** RFC 7638 thumbprint of the public key; names the key in URLs and `kid`s. */
  thumbprint: string;
}

export interface IssuerKeys {
  ed25519: Ed25519KeyPair;
  rsa: RsaKey;
}

export class KeyError extends Error {
  override name = 'KeyError';
}

export function keysExist(dir: string): { ed25519: boolean; rsa: boolean } {
  return { ed25519: existsSync(join(dir, ED25519_FILE)), rsa: existsSync(join(dir, RSA_FILE)) };
}

function writeSecret(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

/** Writes the key files that are missing; returns the names of the files it wrote. Never overwrites. */
export async function generateMissingKeys(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const present = keysExist(dir);
  const written: string[] = [];
  if (!present.ed25519) {
    const pair = await Ed25519Multikey.generate();
    const exported = await pair.export({ publicKey: true, secretKey: true, includeContext: false });
    writeSecret(join(dir, ED25519_FILE), {
      type: 'Multikey',
      publicKeyMultibase: exported.publicKeyMultibase,
      secretKeyMultibase: exported.secretKeyMultibase,
    });
    written.push(ED25519_FILE);
  }
  if (!present.rsa) {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    writeSecret(join(dir, RSA_FILE), await exportJWK(privateKey));
    written.push(RSA_FILE);
  }
  return written;
}

function readJson<S extends z.ZodType>(dir: string, file: string, schema: S): z.infer<S> {
  const path = join(dir, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new KeyError(`cannot read key file ${path}: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KeyError(`key file ${path} is invalid: "${issue.path.join('.')}" ${issue.message}`);
  }
  return parsed.data;
}

export async function loadRsaKey(jwk: JWK): Promise<RsaKey> {
  // Extractable: on the first start with organisations the key joins the database (encrypted).
  const privateKey = (await importJWK({ ...jwk, alg: 'RS256' }, 'RS256', { extractable: true })) as CryptoKey;
  const { kty, n, e } = jwk;
  const publicJwk: JWK = { kty, n, e };
  return { privateKey, publicJwk, thumbprint: await calculateJwkThumbprint(publicJwk) };
}

/** Reads both keys from `dir`; throws KeyError naming the file when one is missing or invalid. */
export async function loadKeys(dir: string): Promise<IssuerKeys> {
  const present = keysExist(dir);
  if (!present.ed25519) throw new KeyError(`missing key file ${join(dir, ED25519_FILE)}`);
  if (!present.rsa) throw new KeyError(`missing key file ${join(dir, RSA_FILE)}`);
  const ed = readJson(dir, ED25519_FILE, ed25519FileSchema);
  let ed25519: Ed25519KeyPair;
  try {
    ed25519 = await Ed25519Multikey.from(ed);
  } catch (e) {
    throw new KeyError(`key file ${join(dir, ED25519_FILE)} is invalid: ${(e as Error).message}`);
  }
  const rsaJwk = readJson(dir, RSA_FILE, rsaFileSchema) as JWK;
  try {
    return { ed25519, rsa: await loadRsaKey(rsaJwk) };
  } catch (e) {
    throw new KeyError(`key file ${join(dir, RSA_FILE)} is invalid: ${(e as Error).message}`);
  }
}
