import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { badgeClassJsonSchema, serializeJsonSchema } from '../../src/badge-classes/json-schema.js';

const committed = readFileSync(new URL('../../schemas/badge-class.schema.json', import.meta.url), 'utf8');
const catalogDir = new URL('../../badge-classes/', import.meta.url);

describe('schemas/badge-class.schema.json', () => {
  it('is exactly what the zod schema generates (run "npm run schemas:generate" after changing it)', () => {
    expect(committed).toBe(serializeJsonSchema(badgeClassJsonSchema()));
  });

  it('accepts every starter badge class file and rejects a broken one, as an editor would', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(committed));
    const files = readdirSync(catalogDir).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      const data = JSON.parse(readFileSync(new URL(file, catalogDir), 'utf8'));
      expect({ file, errors: validate(data) ? [] : validate.errors }).toEqual({ file, errors: [] });
      const broken = { ...data, alignments: [{ targetName: { en: 'x' } }] };
      expect(validate(broken)).toBe(false);
    }
  });
});
