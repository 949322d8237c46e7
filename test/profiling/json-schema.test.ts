import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { serializeJsonSchema } from '../../src/badge-classes/json-schema.js';
import { questionnaireJsonSchema } from '../../src/profiling/json-schema.js';

const committed = readFileSync(new URL('../../schemas/questionnaire.schema.json', import.meta.url), 'utf8');
const dir = new URL('../../questionnaires/', import.meta.url);

describe('schemas/questionnaire.schema.json', () => {
  it('is exactly what the zod schema generates (run "npm run schemas:generate" after changing it)', () => {
    expect(committed).toBe(serializeJsonSchema(questionnaireJsonSchema()));
  });

  it('accepts every starter questionnaire file and rejects a broken one, as an editor would', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(committed));
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      expect({ file, errors: validate(data) ? [] : validate.errors }).toEqual({ file, errors: [] });
      expect(validate({ ...data, competences: [] })).toBe(false);
      expect(validate({ ...data, levels: [{ en: 'only one' }] })).toBe(false);
    }
  });
});
