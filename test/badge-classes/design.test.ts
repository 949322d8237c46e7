import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import sharp from 'sharp';
import request from 'supertest';
import { wrap } from '../../src/badge-classes/design.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { binary } from '../helpers/verify.js';

/** A badge class without an image file gets the built-in design, drawn in the learner's language. */
let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'design-'));
  const data = JSON.parse(readFileSync(new URL('../../badge-classes/cares-self-care-wellbeing.json', import.meta.url), 'utf8'));
  delete data.image;
  data.name.en = 'Self-Care & <Well-being> at Work';
  writeFileSync(join(dir, 'cares-self-care-wellbeing.json'), JSON.stringify(data));
  t = await startTestApp({ BADGE_CLASSES_DIR: dir });
});
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built-in badge design', () => {
  it('draws the name and level in the language asked for, as well-formed SVG', async () => {
    const en = (await binary(request(t.app).get('/achievements/cares-self-care-wellbeing/image.svg')).expect(200)).body.toString();
    const doc = new DOMParser().parseFromString(en, 'image/svg+xml');
    expect(doc.documentElement!.localName).toBe('svg');
    expect(doc.getElementsByTagName('title')[0]!.textContent).toBe('Self-Care & <Well-being> at Work');
    expect(en).toContain('FOUNDATION');
    const it = (await binary(request(t.app).get('/achievements/cares-self-care-wellbeing/image.svg?lang=it')).expect(200)).body.toString();
    const itName = JSON.parse(readFileSync(join(dir, 'cares-self-care-wellbeing.json'), 'utf8')).name.it as string;
    expect(new DOMParser().parseFromString(it, 'image/svg+xml').getElementsByTagName('title')[0]!.textContent).toBe(itName);
  });

  it('renders a PNG from it, and bakes credentials into it', async () => {
    const png = (await binary(request(t.app).get('/achievements/cares-self-care-wellbeing/image.png')).expect(200)).body as Buffer;
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 600, height: 600 });
    const issued = await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: 'cares-self-care-wellbeing', recipient: { email: 'a@example.org' }, language: 'ro' }).expect(201);
    const baked = (await binary(request(t.app).get(`/credentials/${issued.body.id}/badge.png`)).expect(200)).body as Buffer;
    const report = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(baked).expect(200);
    expect(report.body.verified).toBe(true);
  });

  it('wraps long names into a few lines, cutting the last with an ellipsis', () => {
    expect(wrap('Supporting Care Leavers towards Autonomy', 16, 3)).toEqual(['Supporting Care', 'Leavers towards', 'Autonomy']);
    const cut = wrap('one two three four five six seven eight nine ten eleven twelve', 10, 3);
    expect(cut).toHaveLength(3);
    expect(cut[2]!.endsWith('…')).toBe(true);
  });
});
