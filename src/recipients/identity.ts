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
 * A learner's key in an organisation: how its awards to one learner are found and counted towards a
 * pathway, without keeping their address. Two keyed hashes (HMAC-SHA256 under secrets of the
 * instance): the address (trimmed, lower-cased) first, then that with the organisation's id. The same
 * address always gives the same key in one organisation and a different one in each other, so no two
 * organisations' records can be joined on it; without the secrets it cannot be reversed by trying
 * addresses. The first step alone is what was stored before keys were per organisation, which is why
 * a stored one can be re-keyed (`learnerKeyOf`).
 */
export interface LearnerKeySecrets {
  recipients: Buffer;
  learners: Buffer;
}

const firstStep = (secret: Buffer, email: string): string => createHmac('sha256', secret).update(normalizeEmail(email), 'utf8').digest('hex');

/** The organisation's key from the first step's value. */
export const learnerKeyOf = (secrets: LearnerKeySecrets, orgId: string, firstStepKey: string): string =>
  createHmac('sha256', secrets.learners).update(`${orgId}\n${firstStepKey}`, 'utf8').digest('hex');

export const learnerKey = (secrets: LearnerKeySecrets, orgId: string, email: string): string => learnerKeyOf(secrets, orgId, firstStep(secrets.recipients, email));
