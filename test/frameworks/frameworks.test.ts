import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { FRAMEWORKS_DIR } from '../../src/config/paths.js';
import { createFrameworkCatalog, readFrameworks } from '../../src/frameworks/frameworks.js';
import { expandCompetenceReferences } from '../../src/frameworks/references.js';

/** The bundled competence frameworks, and how a badge class names their competences. */
const bundled = readFrameworks(FRAMEWORKS_DIR);
const catalog = createFrameworkCatalog(bundled, 'https://badges.example.org');
const slugs = bundled.map((f) => f.slug);

describe('the bundled frameworks', () => {
  it('are DigComp 2.2, LifeComp, GreenComp and a subset of ESCO, each valid', () => {
    expect(slugs).toEqual(expect.arrayContaining(['digcomp-2.2', 'lifecomp', 'greencomp', 'esco-care']));
  });

  it('hold DigComp 2.2 whole: 5 areas, 21 competences, 8 proficiency levels with their descriptors', () => {
    const digcomp = catalog.get('digcomp-2.2')!;
    expect(digcomp.areas.map((a) => a.code)).toEqual(['1', '2', '3', '4', '5']);
    expect(digcomp.competences.map((c) => c.code)).toEqual([
      '1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.1', '3.2', '3.3', '3.4', '4.1', '4.2', '4.3', '4.4', '5.1', '5.2', '5.3', '5.4',
    ]);
    expect(digcomp.levels.map((l) => l.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(digcomp.levels.every((l) => l.descriptor !== undefined)).toBe(true);
    expect(catalog.find({ framework: 'digcomp-2.2', code: '2.1' })?.competence.name.en).toBe('Interacting through digital technologies');
  });

  it('hold LifeComp\'s 9 and GreenComp\'s 12 competences', () => {
    expect(catalog.get('lifecomp')!.competences.map((c) => c.code)).toEqual(['P1', 'P2', 'P3', 'S1', 'S2', 'S3', 'L1', 'L2', 'L3']);
    expect(catalog.get('greencomp')!.competences.map((c) => c.code)).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3']);
  });

  it('name every competence, area and level in the seven languages', () => {
    for (const f of bundled) {
      const maps = [f.name, ...f.areas.map((a) => a.name), ...f.competences.map((c) => c.name), ...f.levels.map((l) => l.name)];
      for (const map of maps) expect([f.slug, Object.keys(map).sort()]).toEqual([f.slug, [...SUPPORTED_LANGUAGES].sort()]);
    }
  });

  it('give ESCO concepts their ESCO URIs, and the others an address on this instance', () => {
    const esco = catalog.get('esco-care')!;
    expect(esco.competences.length).toBeGreaterThan(0);
    for (const c of esco.competences) expect(c.uri).toMatch(/^http:\/\/data\.europa\.eu\/esco\/(skill|occupation)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(catalog.find({ framework: 'digcomp-2.2', code: '2.1' })?.uri).toBe('https://badges.example.org/frameworks/digcomp-2.2/2.1');
  });
});

describe('searching competences', () => {
  it('finds by words of the name in the reader\'s language, accents or none, and by code', () => {
    expect(catalog.search('interagire tecnologie', 'it').map((r) => r.competence.code)).toContain('2.1');
    expect(catalog.search('saveika', 'lt', { framework: 'digcomp-2.2' }).map((r) => r.competence.code)).toContain('2.1');
    expect(catalog.search('2.1', 'en', { framework: 'digcomp-2.2' })[0]?.competence.code).toBe('2.1');
    expect(catalog.search('empathy', 'en').map((r) => `${r.framework.slug} ${r.competence.code}`)).toContain('lifecomp S1');
    expect(catalog.search('   ', 'en')).toEqual([]);
    expect(catalog.search('zzzz-nothing', 'en')).toEqual([]);
  });
});

describe('alignments that name a competence', () => {
  it('become the framework\'s full alignment: names in every language, its URI, its type', () => {
    const { value, problems } = expandCompetenceReferences({ slug: 'x', alignments: [{ framework: 'digcomp-2.2', code: '2.1' }, { targetFramework: 'Own', targetName: { en: 'Own' }, targetUrl: 'https://example.org/own' }] }, catalog);
    expect(problems).toEqual([]);
    const [digcomp, own] = (value as { alignments: Array<Record<string, unknown>> }).alignments;
    expect(digcomp).toMatchObject({
      targetFramework: 'DigComp 2.2',
      targetCode: '2.1',
      targetUrl: 'https://badges.example.org/frameworks/digcomp-2.2/2.1',
      targetType: 'ceasn:Competency',
      targetName: expect.objectContaining({ en: 'Interacting through digital technologies', it: 'Interagire attraverso le tecnologie digitali' }),
    });
    expect(own).toEqual({ targetFramework: 'Own', targetName: { en: 'Own' }, targetUrl: 'https://example.org/own' });
  });

  it('is a problem at its path when the framework or the code is unknown, or the reference says more', () => {
    const { problems } = expandCompetenceReferences({ alignments: [{ framework: 'digcomp-2.2', code: '9.9' }, { framework: 'nope', code: '1' }, { framework: 'digcomp-2.2', code: '2.1', targetName: { en: 'x' } }] }, catalog);
    expect(problems).toEqual([
      { path: 'alignments.0', message: 'the framework "digcomp-2.2" has no competence "9.9"' },
      { path: 'alignments.1', message: 'no framework "nope" is known here (see /frameworks)' },
      { path: 'alignments.2', message: 'a competence is named by "framework" and "code" (both text), and nothing else' },
    ]);
  });

  it('leaves anything that is not a badge class for the schema to judge', () => {
    expect(expandCompetenceReferences('text', catalog)).toEqual({ value: 'text', problems: [] });
    expect(expandCompetenceReferences({ alignments: 'x' }, catalog)).toEqual({ value: { alignments: 'x' }, problems: [] });
  });
});
