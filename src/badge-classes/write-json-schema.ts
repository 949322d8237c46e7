import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from '../config/paths.js';
import { pathwayJsonSchema } from '../pathways/json-schema.js';
import { questionnaireJsonSchema } from '../profiling/json-schema.js';
import { badgeClassJsonSchema, serializeJsonSchema } from './json-schema.js';

for (const [file, schema] of [['badge-class.schema.json', badgeClassJsonSchema()], ['pathway.schema.json', pathwayJsonSchema()], ['questionnaire.schema.json', questionnaireJsonSchema()]] as const) {
  const path = join(SCHEMAS_DIR, file);
  writeFileSync(path, serializeJsonSchema(schema));
  process.stdout.write(`wrote ${path}\n`);
}
