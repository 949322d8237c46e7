import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * OB 3.0 §B.1.9 IdentityObject with a salted hash: `identityHash` = "sha256$" + hex(SHA-256(identity + salt)).
 * E-mail addresses are trimmed and lower-cased first, so a recipient check does not fail on case.
 */
export type IdentityObject = {
  type: 'IdentityObject';
  hashed: true;
  identityHash: string;
  identityType: 'emailAddress';
  salt: string;
};

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function identityHash(identity: string, salt: string): string {
  return `sha256$${createHash('sha256').update(identity + salt, 'utf8').digest('hex')}`;
}

export function hashedEmailIdentity(email: string, salt: string = randomBytes(16).toString('hex')): IdentityObject {
  return { type: 'IdentityObject', hashed: true, identityHash: identityHash(normalizeEmail(email), salt), identityType: 'emailAddress', salt };
}

/**
 * The key an organisation finds a learner's awards by, without keeping their address: an HMAC-SHA256
 * of the address (trimmed, lower-cased) under a secret of the instance. Unlike the credential's salted
 * hash, the same address always gives the same key, so it can be searched; without the secret it
 * cannot be reversed by trying addresses.
 */
export const recipientLookupKey = (secret: Buffer, email: string): string => createHmac('sha256', secret).update(email.trim().toLowerCase(), 'utf8').digest('hex');
