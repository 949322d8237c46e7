import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledFrameworks } from '../../src/frameworks/frameworks.js';
import { loadCatalog, readBadgeClassFiles } from '../../src/badge-classes/catalog.js';

const STARTER = fileURLToPath(new URL('../../badge-classes/', import.meta.url));
const frameworks = bundledFrameworks('https://badges.example.org');
const read = (dir: string) => readBadgeClassFiles(dir, frameworks);

describe('the starter catalog', () => {
  const catalog = loadCatalog(STARTER, { frameworks: bundledFrameworks('https://badges.example.org') });

  it('has at least six badge classes, each in en, it, lt and ro', () => {
    expect(catalog.list().length).toBeGreaterThanOrEqual(6);
    for (const { badgeClass, languages } of catalog.list()) {
      expect({ slug: badgeClass.slug, languages }).toEqual({ slug: badgeClass.slug, languages: expect.arrayContaining(['en', 'it', 'lt', 'ro']) });
    }
  });

  it('aligns every badge class to competences of the bundled frameworks, each linking to its own address or its ESCO URI', () => {
    let esco = 0;
    for (const { badgeClass } of catalog.list()) {
      expect(badgeClass.alignments.length).toBeGreaterThan(0);
      for (const a of badgeClass.alignments) {
        expect(a.targetFramework).toMatch(/^(DigComp 2\.2|LifeComp|GreenComp|ESCO)$/);
        if (a.targetFramework === 'ESCO') {
          esco++;
          // ESCO's own concept URIs, which its portal and API resolve.
          expect(a.targetUrl).toMatch(/^http:\/\/data\.europa\.eu\/esco\/(skill|occupation)\/[0-9a-f-]{36}$/);
          expect(a.targetUrl).toContain(`/${a.targetCode}`);
          expect(a.targetType).toMatch(/^(ceasn:Competency|ext:Occupation)$/);
        } else {
          expect(a.targetUrl).toMatch(/^https:\/\/badges\.example\.org\/frameworks\/(digcomp-2\.2|lifecomp|greencomp)\/[A-Z0-9.]+$/);
          expect(a.targetUrl.endsWith(`/${a.targetCode}`)).toBe(true);
          expect(a.targetType).toBe('ceasn:Competency');
        }
        expect(Object.keys(a.targetName)).toHaveLength(7);
      }
    }
    expect(esco).toBeGreaterThan(0);
  });

  it('is refused with the file named when an alignment names a competence no framework has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-ref-'));
    try {
      const file = JSON.parse(readFileSync(join(STARTER, 'carer-plus-digital-communication.json'), 'utf8'));
      writeFileSync(join(dir, 'carer-plus-digital-communication.json'), JSON.stringify({ ...file, alignments: [{ framework: 'digcomp-2.2', code: '6.1' }] }));
      const { classes, problems } = readBadgeClassFiles(dir, bundledFrameworks('https://badges.example.org'));
      expect(classes).toEqual([]);
      expect(problems[0]?.message).toBe('"alignments.0" the framework "digcomp-2.2" has no competence "6.1"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses real DigComp 2.2 competence codes (areas 1-5, competences as listed in JRC128415)', () => {
    const digcompCompetences: Record<string, number> = { '1': 3, '2': 6, '3': 4, '4': 4, '5': 4 };
    const codes = catalog.list().flatMap(({ badgeClass }) => badgeClass.alignments.filter((a) => a.targetFramework === 'DigComp 2.2').map((a) => a.targetCode));
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      const [area, competence] = (code ?? '').split('.');
      expect(Number(competence)).toBeGreaterThanOrEqual(1);
      expect(Number(competence)).toBeLessThanOrEqual(digcompCompetences[area!] ?? 0);
    }
  });
});

describe('loading an invalid catalog', () => {
  let dir: string;
  const sample = 'carer-plus-digital-communication';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    cpSync(STARTER, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (mutate: (data: Record<string, any>) => void) => {
    const path = join(dir, `${sample}.json`);
    const data = JSON.parse(readFileSync(path, 'utf8'));
    mutate(data);
    writeFileSync(path, JSON.stringify(data));
    return path;
  };

  it.each([
    ['a missing English name', (d: Record<string, any>) => delete d.name.en, '"name.en"'],
    ['an alignment without a URL', (d: Record<string, any>) => (d.alignments[0] = { targetFramework: 'Own', targetName: { en: 'Own' } }), '"alignments[0].targetUrl"'],
    ['an unknown field', (d: Record<string, any>) => (d.colour = 'red'), '"colour" is not a known field'],
    ['a bad achievementType', (d: Record<string, any>) => (d.achievementType = 'Trophy'), '"achievementType"'],
    ['a bad validity period', (d: Record<string, any>) => (d.validityPeriod = '3 years'), '"validityPeriod"'],
    ['a slug that does not match the file name', (d: Record<string, any>) => (d.slug = 'other-slug'), '"slug" must match the file name'],
  ])('reports %s with the file and the field, and still reads the other files', (_name, mutate, field) => {
    const path = edit(mutate);
    const { classes, problems } = read(dir);
    expect(problems).toEqual([{ file: path, message: expect.stringContaining(field) }]);
    expect(classes.map((c) => c.badgeClass.slug)).not.toContain(sample);
    expect(classes.length).toBe(read(STARTER).classes.length - 1);
  });

  it('reports a file that is not JSON, and a missing image', () => {
    writeFileSync(join(dir, `${sample}.json`), '{ not json');
    expect(read(dir).problems).toEqual([{ file: join(dir, `${sample}.json`), message: expect.stringMatching(/^not valid JSON/) }]);
    cpSync(join(STARTER, `${sample}.json`), join(dir, `${sample}.json`));
    writeFileSync(join(dir, `${sample}.json`), JSON.stringify({ ...JSON.parse(readFileSync(join(STARTER, `${sample}.json`), 'utf8')), image: 'missing.svg' }));
    expect(read(dir).problems[0]?.message).toMatch(/"image" names .*missing\.svg/);
  });
});
