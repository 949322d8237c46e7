import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { SCHEMAS_DIR } from '../config/paths.js';

/**
 * The 1EdTech AchievementCredential JSON Schema (OB 3.0 §B.3.1, VCCS-10). The bundled schema is the
 * canonical one and wants arrays; OB 3.0 App. A lets JSON-LD compaction turn one-item arrays into
 * single values, so a credential that passes once those are put back in arrays gets a warning, not a failure.
 */
const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'ob_v3p0_achievementcredential_schema.json'), 'utf8')) as object;
const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Wraps the value at a JSON Pointer in an array, in place. */
function wrapAt(root: Record<string, unknown>, pointer: string): boolean {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop();
  if (last === undefined) return false;
  let node: unknown = root;
  for (const part of parts) node = (node as Record<string, unknown>)?.[part];
  if (!node || typeof node !== 'object') return false;
  (node as Record<string, unknown>)[last] = [(node as Record<string, unknown>)[last]];
  return true;
}

/** Puts single values back into arrays wherever the schema asks for an array, as compaction allows. */
function validatesOnceDecompacted(credential: Record<string, unknown>): boolean {
  const copy = structuredClone(credential);
  for (let round = 0; round < 50; round++) {
    if (validate(copy)) return true;
    const wrappable = (validate.errors ?? []).filter((e) => e.keyword === 'type' && (e.params as { type?: unknown }).type === 'array');
    if (wrappable.length === 0 || !wrappable.every((e) => wrapAt(copy, e.instancePath))) return false;
  }
  return false;
}

const describeErrors = () =>
  (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim())
    .join('; ');

export type SchemaOutcome = { status: 'passed' | 'warning' | 'failed'; detail?: string };

export function checkOb3Schema(credential: Record<string, unknown>): SchemaOutcome {
  if (validate(credential)) return { status: 'passed' };
  const strict = describeErrors();
  if (validatesOnceDecompacted(credential)) return { status: 'warning', detail: strict };
  validate(credential);
  return { status: 'failed', detail: describeErrors() };
}
