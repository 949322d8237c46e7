import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { toAchievement } from '../../src/badge-classes/achievement.js';
import { bundledFrameworks } from '../../src/frameworks/frameworks.js';
import { expandCompetenceReferences } from '../../src/frameworks/references.js';
import { createAwardedTranslations } from '../../src/badge-classes/awarded-texts.js';
import { badgeClassSchema, type BadgeClass, type Language } from '../../src/badge-classes/schema.js';
import type { BadgeClassRepository, BadgeClassVersionRecord } from '../../src/db/repositories.js';

/** Which version's texts a credential is shown with, in another language than the one it was signed in. */
const PUBLIC_URL = 'https://badges.example.org';
// The starter file names its competences; expanded as the catalog does.
const starterFile = JSON.parse(readFileSync(new URL('../../badge-classes/carer-plus-digital-communication.json', import.meta.url), 'utf8'));
const starter = badgeClassSchema.parse(expandCompetenceReferences(starterFile, bundledFrameworks('https://badges.example.org')).value);

function repoOf(versions: Array<{ badgeClass: BadgeClass; createdAt: string }>) {
  let reads = 0;
  const records = (): BadgeClassVersionRecord[] =>
    versions.map((v, i) => ({ slug: starter.slug, version: i + 1, definition: v.badgeClass as unknown as Record<string, unknown>, image: null, createdAt: v.createdAt, createdBy: null }));
  const repo = {
    async versions() {
      reads += 1;
      return records().map(({ version, createdAt, createdBy }) => ({ version, createdAt, createdBy }));
    },
    async getVersion(_slug: string, version: number) {
      return records()[version - 1];
    },
  } as unknown as BadgeClassRepository;
  return { repo, reads: () => reads };
}
const credentialOf = (badgeClass: BadgeClass, language: Language, awardedDate: string) => ({
  validFrom: awardedDate,
  awardedDate,
  credentialSubject: { achievement: toAchievement(badgeClass, PUBLIC_URL, language) },
});
const edited = (name: string): BadgeClass => ({ ...starter, name: { ...starter.name, en: name }, description: { ...starter.description, de: 'Neu' } });

describe('the texts of the version a credential was awarded with', () => {
  const v1 = { badgeClass: starter, createdAt: '2026-01-01T00:00:00.000Z' };
  const v2 = { badgeClass: edited('Edited'), createdAt: '2026-03-01T00:00:00.000Z' };

  it('takes the newest version made by the award whose texts are the signed ones', async () => {
    const { repo } = repoOf([v1, v2]);
    const translations = createAwardedTranslations({ repo, publicUrl: PUBLIC_URL, now: () => new Date('2026-06-01T00:00:00Z') });
    expect((await translations.translate(credentialOf(starter, 'it', '2026-02-01T00:00:00Z'), 'en'))?.name).toBe(starter.name.en);
    expect((await translations.translate(credentialOf(edited('Edited'), 'it', '2026-04-01T00:00:00Z'), 'de'))?.description).toBe('Neu');
  });

  it('takes a version made in the same second as the award (awardedDate has no milliseconds)', async () => {
    const { repo } = repoOf([v1, { badgeClass: edited('Same second'), createdAt: '2026-02-01T00:00:00.700Z' }]);
    const translations = createAwardedTranslations({ repo, publicUrl: PUBLIC_URL, now: () => new Date('2026-06-01T00:00:00Z') });
    expect((await translations.translate(credentialOf(edited('Same second'), 'de', '2026-02-01T00:00:00Z'), 'en'))?.name).toBe('Same second');
  });

  it('gives nothing when no version made by then signed these texts, or the version string differs, or it is the signed language', async () => {
    const { repo } = repoOf([v1, v2]);
    const translations = createAwardedTranslations({ repo, publicUrl: PUBLIC_URL, now: () => new Date('2026-06-01T00:00:00Z') });
    // Signed with v2's texts, but dated before v2 existed.
    expect(await translations.translate(credentialOf(edited('Edited'), 'en', '2026-02-01T00:00:00Z'), 'it')).toBeUndefined();
    expect(await translations.translate(credentialOf({ ...starter, version: '9.9' }, 'it', '2026-02-01T00:00:00Z'), 'en')).toBeUndefined();
    expect(await translations.translate(credentialOf(starter, 'it', '2026-02-01T00:00:00Z'), 'it')).toBeUndefined();
  });

  it('gives nothing in a language the awarded version lacks, even if a later version has it', async () => {
    const { it: _it, ...withoutItalian } = starter.name;
    const englishOnly = { ...starter, name: withoutItalian as BadgeClass['name'] };
    const { repo } = repoOf([{ badgeClass: englishOnly, createdAt: v1.createdAt }, { badgeClass: starter, createdAt: v2.createdAt }]);
    const translations = createAwardedTranslations({ repo, publicUrl: PUBLIC_URL, now: () => new Date('2026-06-01T00:00:00Z') });
    expect(await translations.translate(credentialOf(englishOnly, 'en', '2026-02-01T00:00:00Z'), 'it')).toBeUndefined();
  });

  it('reads the list of versions again for a credential newer than the list it holds, and not for older ones', async () => {
    let now = new Date('2026-02-01T00:00:00Z');
    const versions = [v1];
    const { repo, reads } = repoOf(versions);
    const translations = createAwardedTranslations({ repo, publicUrl: PUBLIC_URL, now: () => now });
    await translations.translate(credentialOf(starter, 'it', '2026-01-15T00:00:00Z'), 'en');
    await translations.translate(credentialOf(starter, 'it', '2026-01-16T00:00:00Z'), 'en');
    expect(reads()).toBe(1);
    versions.push(v2);
    now = new Date('2026-06-01T00:00:00Z');
    expect((await translations.translate(credentialOf(edited('Edited'), 'it', '2026-04-01T00:00:00Z'), 'en'))?.name).toBe('Edited');
    expect(reads()).toBe(2);
  });
});
