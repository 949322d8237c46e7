import { createHash, randomBytes } from 'node:crypto';

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
