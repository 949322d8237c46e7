import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogError, loadCatalog } from '../../src/badge-classes/catalog.js';

const STARTER = fileURLToPath(new URL('../../badge-classes/', import.meta.url));

describe('the starter catalog', () => {
  const catalog = loadCatalog(STARTER);

  it('has at least six badge classes, each in en, it, lt and ro', () => {
    expect(catalog.list().length).toBeGreaterThanOrEqual(6);
    for (const { badgeClass, languages } of catalog.list()) {
      expect({ slug: badgeClass.slug, languages }).toEqual({ slug: badgeClass.slug, languages: expect.arrayContaining(['en', 'it', 'lt', 'ro']) });
    }
  });

  it('aligns every badge class to at least one competence with framework, name and URL', () => {
    for (const { badgeClass } of catalog.list()) {
      for (const a of badgeClass.alignments) {
        expect(a.targetFramework.length).toBeGreaterThan(0);
        expect(a.targetUrl).toMatch(/^https:\/\//);
        expect(a.targetName.en.length).toBeGreaterThan(0);
      }
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
    ['an alignment without a URL', (d: Record<string, any>) => delete d.alignments[0].targetUrl, '"alignments[0].targetUrl"'],
    ['an unknown field', (d: Record<string, any>) => (d.colour = 'red'), '"colour" is not a known field'],
    ['a bad achievementType', (d: Record<string, any>) => (d.achievementType = 'Trophy'), '"achievementType"'],
    ['a bad validity period', (d: Record<string, any>) => (d.validityPeriod = '3 years'), '"validityPeriod"'],
    ['a slug that does not match the file name', (d: Record<string, any>) => (d.slug = 'other-slug'), '"slug" must match the file name'],
  ])('stops with a message naming the file and the field for %s', (_name, mutate, field) => {
    const path = edit(mutate);
    expect(() => loadCatalog(dir)).toThrow(CatalogError);
    expect(() => loadCatalog(dir)).toThrow(path);
    expect(() => loadCatalog(dir)).toThrow(field);
  });

  it('stops on a file that is not JSON, and on a missing image', () => {
    writeFileSync(join(dir, `${sample}.json`), '{ not json');
    expect(() => loadCatalog(dir)).toThrow(/carer-plus-digital-communication\.json is not valid JSON/);
    cpSync(join(STARTER, `${sample}.json`), join(dir, `${sample}.json`));
    unlinkSync(join(dir, `${sample}.svg`));
    expect(() => loadCatalog(dir)).toThrow(/"image" names .*carer-plus-digital-communication\.svg/);
  });
});
