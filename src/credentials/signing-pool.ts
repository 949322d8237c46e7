import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { chunksOf, type SecureStep, type SecuredCredential } from './secure.js';

/**
 * Signing on worker threads (piscina): the event loop builds and stores while workers canonicalise
 * and sign. Each task carries the issuing organisation's keys (KeyObjects, cloned cheaply), and each
 * worker makes its signers once per set of keys. A batch is shared out in chunks, so
 * several workers sign one large batch together; the order of the result is the order given.
 */
const fromSources = extname(fileURLToPath(import.meta.url)) === '.ts';
const WORKER = new URL(fromSources ? './signing-worker-tsx.mjs' : './signing-worker.js', import.meta.url).href;

export function createSigningPool({ threads }: { threads: number }): SecureStep {
  // Without Atomics: with them, waking a worker for each task cost the event loop about a seventh of
  // its time under issuance load (piscina's postTask in a CPU profile); messages alone cost nothing there.
  const pool = new Piscina({ filename: WORKER, minThreads: 0, maxThreads: threads, idleTimeout: 60_000, atomics: 'disabled' });
  return {
    async secure(credentials, { created, jwt, keys }) {
      const signed = await Promise.all(
        chunksOf(credentials).map((chunk) => pool.run({ credentials: JSON.stringify(chunk), created: created.toISOString(), jwt, keys }, { name: 'secure' }) as Promise<SecuredCredential[]>),
      );
      return signed.flat();
    },
    async signJwts(documents, keys) {
      return (await Promise.all(chunksOf(documents).map((chunk) => pool.run({ documents: chunk, keys }, { name: 'signJwts' }) as Promise<string[]>))).flat();
    },
    close: () => pool.destroy(),
  };
}
