import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { KeyError } from './key-store.js';

/**
 * Organisations' private keys are stored in the database, so that every instance of a deployment
 * signs with them without key files on each machine, and only encrypted: each private JWK is a
 * compact JWE (`dir`, `A256GCM`) under the operator's key-encryption key (KEK), which never enters
 * the database. The protected header names the KEK (`kid`, a hash of it) and the organisation and key
 * the JWE belongs to, so a ciphertext moved to another row does not open there.
 *
 * The KEK comes from `KEY_ENCRYPTION_KEY` (32 bytes, base64 or base64url) or the file named by
 * `KEY_ENCRYPTION_KEY_FILE`; in development, without either, from `<KEYS_DIR>/key-encryption.key`,
 * generated on first start.
 */
export const DEV_KEK_FILE = 'key-encryption.key';

export interface KeyEncryption {
  /** Names the KEK in each JWE: the first 16 hex digits of its SHA-256. */
  kid: string;
  encrypt(jwk: JWK, binding: { orgId: string; keyId: string }): Promise<string>;
  decrypt(jwe: string, binding: { orgId: string; keyId: string }): Promise<JWK>;
}

function parseKek(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== 32 || !/^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) {
    throw new KeyError(`${source} must be 32 random bytes in base64 (e.g. from "openssl rand -base64 32")`);
  }
  return bytes;
}

/** The KEK: from the environment, a secret file, or (development only) a generated file. */
export function loadKeyEncryptionKey(config: Pick<Config, 'env' | 'keysDir' | 'keyEncryptionKey' | 'keyEncryptionKeyFile'>, logger?: Logger): Buffer {
  if (config.keyEncryptionKey) return parseKek(config.keyEncryptionKey, 'KEY_ENCRYPTION_KEY');
  if (config.keyEncryptionKeyFile) {
    let text: string;
    try {
      text = readFileSync(config.keyEncryptionKeyFile, 'utf8');
    } catch (e) {
      throw new KeyError(`cannot read KEY_ENCRYPTION_KEY_FILE ${config.keyEncryptionKeyFile}: ${(e as Error).message}`);
    }
    return parseKek(text, `KEY_ENCRYPTION_KEY_FILE (${config.keyEncryptionKeyFile})`);
  }
  const devFile = join(config.keysDir, DEV_KEK_FILE);
  if (existsSync(devFile)) {
    if (config.env === 'production') {
      throw new KeyError(`set KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE in production (found only the development key ${devFile})`);
    }
    return parseKek(readFileSync(devFile, 'utf8'), devFile);
  }
  if (config.env === 'production') {
    throw new KeyError('KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE is required in production: it encrypts the organisations’ private keys');
  }
  mkdirSync(config.keysDir, { recursive: true, mode: 0o700 });
  const kek = randomBytes(32);
  writeFileSync(devFile, `${kek.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(devFile, 0o600);
  logger?.warn({ file: devFile }, 'generated a development key-encryption key (set KEY_ENCRYPTION_KEY in production)');
  return kek;
}

export function createKeyEncryption(kek: Buffer): KeyEncryption {
  if (kek.length !== 32) throw new KeyError('the key-encryption key must be 32 bytes');
  const kid = createHash('sha256').update(kek).digest('hex').slice(0, 16);
  const key = new Uint8Array(kek);
  return {
    kid,
    async encrypt(jwk, { orgId, keyId }) {
      return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid, org: orgId, key: keyId })
        .encrypt(key);
    },
    async decrypt(jwe, { orgId, keyId }) {
      const header = decodeProtectedHeader(jwe);
      if (header.kid !== kid) {
        throw new KeyError(`the private key ${keyId} is encrypted under another key-encryption key (${String(header.kid)}, this one is ${kid})`);
      }
      if (header.org !== orgId || header.key !== keyId) throw new KeyError(`the encrypted private key stored as ${keyId} belongs to another key`);
      try {
        const { plaintext } = await compactDecrypt(jwe, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
        return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
      } catch (e) {
        throw new KeyError(`the private key ${keyId} could not be decrypted: ${(e as Error).message}`);
      }
    },
  };
}

/**
 * Secrets of the instance derived from the key-encryption key (HKDF-SHA256, one label each), so that
 * every instance of a deployment has the same ones without another secret to manage: the console's
 * CSRF tokens, and the keyed hash that finds a learner's awards without storing their address.
 */
export interface InstanceSecrets {
  csrf: Buffer;
  /** The first, instance-wide step of a learner's key (recipients/identity.ts). */
  recipients: Buffer;
  /** The second step, which makes a learner's key the organisation's own. */
  learners: Buffer;
  /** Encrypts the private links that show a learner their progress through pathways. */
  progress: Buffer;
  /** Encrypts the learner's address kept for the reminders before a badge expires (renewal/contacts.ts). */
  contacts: Buffer;
}

export function deriveSecrets(kek: Buffer): InstanceSecrets {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), `care-badges ${label}`, 32));
  return { csrf: derive('console csrf'), recipients: derive('recipient key'), learners: derive('learner key'), progress: derive('progress link'), contacts: derive('learner contact') };
}
