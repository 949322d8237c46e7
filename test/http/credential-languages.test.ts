import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The credential page in the reader's language: the badge class's texts from the version the badge
 * was awarded with, while the signed credential stays in the awarded language and the page shows it.
 */
const SLUG = 'carer-plus-digital-communication';
const ORIGINAL = 'Digital Communication in Home Care';
let t: TestApp;
let clock = Date.parse('2026-05-04T09:00:00Z');
let before: { id: string };
let after: { id: string };

beforeAll(async () => {
  t = await startTestApp({}, { now: () => new Date(clock) });
  const award = async (language: string) =>
    (await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: SLUG, recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' }, language }).expect(201)).body as { id: string };
  clock += 60_000;
  before = await award('it');
  // A later edit of the class (its version string kept): badges awarded before must not change what they appear to say.
  clock += 60_000;
  const entry = t.ctx.catalog.get(SLUG)!;
  await t.ctx.catalog.update(SLUG, { ...entry.badgeClass, name: { ...entry.badgeClass.name, en: 'Digital communication (2027 edition)' } }, { expectedVersion: entry.version, by: null });
  clock += 60_000;
  after = await award('it');
});
afterAll(() => t.close());

const page = async (id: string, lang: string) => (await request(t.app).get(`/credentials/${id}?lang=${lang}`).set('Accept', 'text/html').expect(200)).text;
const h1 = (html: string) => /<h1 id="badge-title" lang="([^"]+)">([^<]*)<\/h1>/.exec(html)?.slice(1);

describe('the credential page in the reader\'s language', () => {
  it('shows the texts of the version the badge was awarded with, not of a later edit', async () => {
    const html = await page(before.id, 'en');
    expect(h1(html)).toEqual(['en', ORIGINAL]);
    expect(html).not.toContain('2027 edition');
  });

  it('shows a badge awarded after the edit with the edited texts', async () => {
    expect(h1(await page(after.id, 'en'))).toEqual(['en', 'Digital communication (2027 edition)']);
  });

  it('says that the badge was awarded in Italian and shows the signed Italian text', async () => {
    const html = await page(before.id, 'en');
    expect(html).toContain('This badge was awarded in Italian.');
    expect(html).toMatch(/<details class="signed-text">\s*<summary>The signed text \(Italian\)<\/summary>\s*<div lang="it">\s*<p><strong>Comunicazione digitale nell&#39;assistenza domiciliare<\/strong><\/p>/);
  });

  it('shows the signed texts alone on a page in the awarded language', async () => {
    const html = await page(before.id, 'it');
    expect(h1(html)).toEqual(['it', 'Comunicazione digitale nell&#39;assistenza domiciliare']);
    expect(html).not.toContain('class="signed-text"');
  });

  it('serves the signed credential unchanged, in the awarded language', async () => {
    const credential = (await request(t.app).get(`/credentials/${before.id}`).set('Accept', 'application/ld+json').expect(200)).body as { credentialSubject: { achievement: { name: string; inLanguage: string } } };
    expect(credential.credentialSubject.achievement).toMatchObject({ name: 'Comunicazione digitale nell\'assistenza domiciliare', inLanguage: 'it' });
  });
});
