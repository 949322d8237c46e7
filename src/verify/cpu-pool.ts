import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { AppError } from '../errors/errors.js';
import type { SignatureResult, SignatureTask } from '../proofs/data-integrity.js';
import type { SchemaOutcome } from './schema-check.js';
import type { ReadOutcome } from './cpu-worker.js';
import type { InputFormat } from './report.js';
import type { SignedView } from './signed-view.js';
import type { VerifiableInput } from './verifier.js';

/**
 * Worker threads for the verifier's CPU work (`cpu-worker.ts`), through piscina: a bounded pool with
 * a bounded queue, and tasks that can be cancelled. A verification past its deadline is abandoned
 * (its worker is replaced) and refused as too costly; a full queue is refused as busy.
 */
export interface VerifyCpu {
  signedStatements(credential: Record<string, unknown>, signal?: AbortSignal): Promise<SignedView>;
  signature(task: SignatureTask, signal?: AbortSignal): Promise<SignatureResult>;
  schema(credential: Record<string, unknown>, signal?: AbortSignal): Promise<SchemaOutcome>;
  /** Reads a body or uploaded file (JSON, VC-JWT, baked PNG or SVG); a 4xx AppError when it cannot be read. */
  readInput(bytes: Buffer): Promise<{ input: VerifiableInput; format: InputFormat }>;
  close(): Promise<void>;
}

export interface CpuPoolOptions {
  /**
   * Worker threads; by default as many as the machine's cores. A verification hands its worker three
   * tasks in turn and the event loop waits between them, so with one thread fewer than the cores a
   * core idled while requests queued for that thread (on two cores, 2 threads verified about 30%
   * more per second than 1). The workers yield to the event loop (threads/priority.ts).
   */
  threads?: number;
  /** Tasks waiting for a thread before new ones are refused. */
  maxQueue?: number;
}

// Under tsx or ts-jest this module is TypeScript, and the worker goes through an entry that registers
// tsx first; compiled, the worker is plain JavaScript.
const fromSources = extname(fileURLToPath(import.meta.url)) === '.ts';
const WORKER = new URL(fromSources ? './cpu-worker-tsx.mjs' : './cpu-worker.js', import.meta.url).href;

export function createCpuPool({ threads = availableParallelism(), maxQueue = 256 }: CpuPoolOptions = {}): VerifyCpu {
  // Without Atomics, as the signing pool (credentials/signing-pool.ts says why).
  const pool = new Piscina({ filename: WORKER, minThreads: 1, maxThreads: threads, maxQueue, idleTimeout: 60_000, atomics: 'disabled' });
  const run = async <T>(name: string, task: unknown, signal?: AbortSignal): Promise<T> => {
    try {
      return (await pool.run(task, { name, ...(signal ? { signal } : {}) })) as T;
    } catch (e) {
      throw asAppError(e, signal);
    }
  };
  return {
    // Documents cross as JSON text: one string copy, where a structured clone of the nested object
    // cost the event loop a sixth of its time under POST /verify load. A signature task crosses as
    // it is: a JCS proof is checked over the JSON exactly as given.
    signedStatements: (credential, signal) => run('signedStatements', JSON.stringify(credential), signal),
    signature: (task, signal) => run('signature', task, signal),
    schema: (credential, signal) => run('schema', JSON.stringify(credential), signal),
    readInput: async (bytes) => {
      const outcome = await run<ReadOutcome>('readInput', new Uint8Array(bytes));
      if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
      return { input: outcome.input, format: outcome.format };
    },
    close: () => pool.destroy(),
  };
}

function asAppError(e: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return new AppError('verification_too_costly', 'the verification did not finish in the time one request may take');
  if (e instanceof Error && /queue is at limit/i.test(e.message)) return new AppError('service_busy', 'the verifier is busy; try again in a moment');
  return e;
}
