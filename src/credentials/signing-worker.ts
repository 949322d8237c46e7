import { workerData } from 'node:worker_threads';
import type { Credential } from '../proofs/proof-format.js';
import { yieldToEventLoop } from '../threads/priority.js';
import { createSigners, type SecuredCredential, type SigningKeys } from './secure.js';

/** A signing worker (`signing-pool.ts`): the keys arrive once, as KeyObjects, with the worker. */
yieldToEventLoop();
const signers = createSigners(workerData as SigningKeys);

/**
 * Credentials cross as JSON text both ways: copying one string between threads is far cheaper than
 * the structured clone of a nested object, and the signed text is what the service stores anyway.
 */
export const secure = ({ credentials, created, jwt }: { credentials: string; created: string; jwt: boolean }): Promise<SecuredCredential[]> =>
  signers.secure(JSON.parse(credentials) as Credential[], { created: new Date(created), jwt });

export const signJwts = ({ documents }: { documents: string[] }): Promise<string[]> => signers.signJwts(documents);
