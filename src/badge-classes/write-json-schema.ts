import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from '../config/paths.js';
import { badgeClassJsonSchema, serializeJsonSchema } from './json-schema.js';

const path = join(SCHEMAS_DIR, 'badge-class.schema.json');
writeFileSync(path, serializeJsonSchema(badgeClassJsonSchema()));
process.stdout.write(`wrote ${path}\n`);
