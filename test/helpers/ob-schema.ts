import { readFileSync } from 'node:fs';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

/** The 1EdTech OB 3.0 AchievementCredential JSON Schema (2019-09), checked with Ajv. */
const schema = JSON.parse(readFileSync(new URL('../../schemas/ob_v3p0_achievementcredential_schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

export function ob3SchemaErrors(credential: unknown): string[] {
  return validate(credential) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
