import { workerData } from 'node:worker_threads';
import type { Credential } from '../proofs/proof-format.js';
import { createSecureBatch, type SignedText, type SigningKeys } from './secure.js';

/** A signing worker (`signing-pool.ts`): the keys arrive once, as KeyObjects, with the worker. */
const secureBatch = createSecureBatch(workerData as SigningKeys);

/**
 * Credentials cross as JSON text both ways: copying one string between threads is far cheaper than
 * the structured clone of a nested object, and the signed text is what the service stores anyway.
 */
export const secure = async ({ credentials, created }: { credentials: string; created: string }): Promise<SignedText[]> =>
  (await secureBatch(JSON.parse(credentials) as Credential[], new Date(created))).map(({ document, jwt }) => ({ document, jwt }));
