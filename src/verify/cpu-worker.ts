import { isAppError, type ErrorCode } from '../errors/errors.js';
import { createTemplateExpander } from '../jsonld/expansion-templates.js';
import { verifySignature, type SignatureResult, type SignatureTask } from '../proofs/data-integrity.js';
import { readVerificationInput } from './input.js';
import { checkOb3Schema, type SchemaOutcome } from './schema-check.js';
import { yieldToEventLoop } from '../threads/priority.js';
import { readSignedStatements, type SignedView } from './signed-view.js';

/**
 * The verifier's CPU work, run in worker threads (`cpu-pool.ts`): JSON-LD expansion, canonicalisation
 * with the signature check, and the JSON Schema. jsonld.js expands without yielding, so a document
 * within the caps can take seconds; here that time is a worker's, never the event loop's.
 * Each export takes and returns plain data.
 */
yieldToEventLoop();
const expander = createTemplateExpander();

/** Documents arrive as JSON text (cpu-pool.ts). */
export const signedStatements = (credential: string): Promise<SignedView> => readSignedStatements(JSON.parse(credential) as Record<string, unknown>, expander);

export const signature = (task: SignatureTask): Promise<SignatureResult> => verifySignature(task);

/** Reads untrusted bytes (PNG chunks, SVG XML, JSON text); a refusal comes back as data, since classes do not cross threads. */
export const readInput = async (bytes: Uint8Array): Promise<ReadOutcome> => {
  try {
    return { ok: true, ...readVerificationInput(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
};

export type ReadOutcome = ({ ok: true } & ReturnType<typeof readVerificationInput>) | { ok: false; code: ErrorCode; message: string };

export const schema = async (credential: string): Promise<SchemaOutcome> => checkOb3Schema(JSON.parse(credential) as Record<string, unknown>);
