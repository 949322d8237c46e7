import { workerData } from 'node:worker_threads';
import type { Credential } from '../proofs/proof-format.js';
import { createSecureBatch, type SecuredCredential, type SigningKeys } from './secure.js';

/** A signing worker (`signing-pool.ts`): the keys arrive once, as KeyObjects, with the worker. */
const secureBatch = createSecureBatch(workerData as SigningKeys);

export const secure = ({ credentials, created }: { credentials: Credential[]; created: string }): Promise<SecuredCredential[]> =>
  secureBatch(credentials, new Date(created));
