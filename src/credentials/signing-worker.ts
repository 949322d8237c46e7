import type { Credential } from '../proofs/proof-format.js';
import { yieldToEventLoop } from '../threads/priority.js';
import { signersByKeys, type SecuredCredential, type SigningKeys } from './secure.js';

/** A signing worker (`signing-pool.ts`): keys arrive with each task, as KeyObjects; signers are made once per set. */
yieldToEventLoop();
const signersFor = signersByKeys();

/**
 * Credentials cross as JSON text both ways: copying one string between threads is far cheaper than
 * the structured clone of a nested object, and the signed text is what the service stores anyway.
 */
export const secure = ({ credentials, created, jwt, keys }: { credentials: string; created: string; jwt: boolean; keys: SigningKeys }): Promise<SecuredCredential[]> =>
  signersFor(keys).secure(JSON.parse(credentials) as Credential[], { created: new Date(created), jwt });

export const signJwts = ({ documents, keys }: { documents: string[]; keys: SigningKeys }): Promise<string[]> => signersFor(keys).signJwts(documents);
