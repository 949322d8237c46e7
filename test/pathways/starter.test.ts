import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The starter pathways (one per project: CARER+, CARES, CarINg, I-CARE, TRACK) are imported at first
 * start for the instance's organisation, with every text in the seven languages, and badge classes
 * that exist in the starter catalog, also in the seven languages.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const ALL = [...SUPPORTED_LANGUAGES].sort();
const languagesOf = (map: Record<string, string> | undefined) => Object.keys(map ?? {}).sort();

describe('the starter pathways', () => {
  it('are imported for the instance, one per project, each ending in a capstone outside its steps', () => {
    const pathways = t.ctx.pathways.list();
    expect(pathways.map((p) => p.pathway.slug).sort()).toEqual([
      'carer-plus-digital-carer-pathway',
      'cares-caregiver-wellbeing-pathway',
      'caring-care-leavers-autonomy-pathway',
      'i-care-intercultural-care-pathway',
      'track-informal-carer-pathway',
    ]);
    for (const { pathway, orgId, archived } of pathways) {
      expect([pathway.slug, orgId, archived]).toEqual([pathway.slug, t.ctx.instance.id, false]);
      expect(pathway.steps.flatMap((s) => s.badgeClasses)).not.toContain(pathway.capstone);
    }
    // "Any 2 of these 3" and a coordinator's approval are both among them.
    expect(pathways.some((p) => p.pathway.steps.some((s) => s.required !== undefined && s.required < s.badgeClasses.length))).toBe(true);
    expect(pathways.some((p) => p.pathway.completion === 'approval')).toBe(true);
  });

  it('speak the seven languages, as do their badge classes', () => {
    for (const { pathway } of t.ctx.pathways.list()) {
      const maps = [pathway.title, pathway.description, pathway.entryLevel, ...pathway.activities, ...pathway.steps.flatMap((s) => (s.title ? [s.title] : []))];
      for (const map of maps) expect([pathway.slug, languagesOf(map)]).toEqual([pathway.slug, ALL]);
      for (const slug of [...pathway.steps.flatMap((s) => s.badgeClasses), pathway.capstone]) {
        const entry = t.ctx.catalog.get(slug);
        expect([slug, entry?.languages.slice().sort()]).toEqual([slug, ALL]);
      }
      for (const reference of pathway.competences) expect(t.ctx.frameworks.find(reference)).toBeDefined();
    }
  });
});
