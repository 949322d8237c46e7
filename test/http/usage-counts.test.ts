import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Per badge class, how many badges were awarded, e-mailed, viewed, downloaded and verified: counted
 * in memory, written by a flush as one adding upsert per key, and each organisation sees only its own.
 * Nothing about who viewed or downloaded is stored: no IP, no cookie, no per-credential log.
 */
const BROWSER = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const SLUG = 'carer-plus-digital-communication';

let t: TestApp;
let other: { apiKey: string };
let mine: { id: string; credential: Record<string, unknown> };
let theirs: { id: string };
beforeAll(async () => {
  t = await startTestApp();
  const award = async (key: string, body: object = {}) =>
    (await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${key}`).send({ badgeClass: SLUG, recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' }, language: 'it', ...body }).expect(201)).body as typeof mine;
  mine = await award(t.apiKey);
  await award(t.apiKey, { notify: false });
  other = await addProvider(t.ctx, 'Other Provider', ['*']);
  theirs = await award(other.apiKey);
});
afterAll(() => t.close());

const stats = async (key = t.apiKey) => {
  await t.ctx.usage.flush();
  return (await request(t.app).get(`/api/v1/badge-classes/${SLUG}/stats`).set('Authorization', `Bearer ${key}`).expect(200)).body as Record<string, number>;
};
/** A GET from a browser, or from another client (`null`: one that sends no User-Agent). */
const get = (path: string, userAgent: string | null = BROWSER) => {
  const r = request(t.app).get(path);
  return userAgent === null ? r : r.set('User-Agent', userAgent);
};

describe('counts per badge class', () => {
  it('starts with what is stored: awarded, and nothing viewed, downloaded or verified', async () => {
    expect(await stats()).toEqual({ badgeClass: SLUG, awarded: 2, delivered: 0, claimed: 0, views: 0, downloads: 0, verifications: 0 });
  });

  it('counts views of the public page by people: not HEAD, robots, link previews or clients without a User-Agent', async () => {
    const before = (await stats()).views!;
    const page = `/credentials/${mine.id}`;
    const first = await get(page).set('Accept', 'text/html').expect(200);
    await get(`${page}?lang=it`).set('Accept', 'text/html').expect(200);
    // A browser asking whether the page changed (a 304) is a person opening it again: counted.
    await get(page).set('Accept', 'text/html').set('If-None-Match', String(first.headers.etag)).expect(304);
    await request(t.app).head(page).set('User-Agent', BROWSER).set('Accept', 'text/html').expect(200);
    await get(page, 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)').set('Accept', 'text/html').expect(200);
    await get(page, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)').set('Accept', 'text/html').expect(200);
    await get(page, null).set('Accept', 'text/html').expect(200);
    // A wallet or verifier dereferencing the id is not a view.
    await get(page).set('Accept', 'application/ld+json').expect(200);
    expect((await stats()).views! - before).toBe(3);
  });

  it('counts each download: the baked images, the JSON, the VC-JWT, the certificate and "add to LinkedIn"', async () => {
    const before = (await stats()).downloads!;
    const base = `/credentials/${mine.id}`;
    for (const path of ['/badge.png', '/badge.svg', '/badge.png?format=jwt', '.json', '.jwt', '/certificate.pdf']) await get(`${base}${path}`).expect(200);
    const linkedIn = await get(`${base}/linkedin`).expect(303);
    expect(linkedIn.headers.location).toMatch(/^https:\/\/www\.linkedin\.com\/profile\/add\?/);
    await request(t.app).head(`${base}/badge.png`).set('User-Agent', BROWSER).expect(200);
    await get(`${base}/badge.png`, 'facebookexternalhit/1.1').expect(200);
    expect((await stats()).downloads! - before).toBe(7);
  });

  it('counts a badge as claimed once its learner took it, however often, and not when only a robot or a page view did', async () => {
    const before = await stats();
    expect(before.claimed).toBe(1);
    const base = `/credentials/${mine.id}`;
    await get(`${base}/badge.png`).expect(200);
    const [row] = await rawQuery(t, `select claimed_at from credentials where id = '${mine.id}'`);
    expect(typeof row!.claimed_at).toBe('string');
    // The other badge: viewed, fetched by a robot and as JSON-LD by a verifier, but not taken.
    const [second] = (await t.ctx.storage.credentials.search(t.ctx.instance.id, { now: new Date().toISOString(), limit: 5 })).filter((r) => r.id !== mine.id);
    await get(`/credentials/${second!.id}`).set('Accept', 'text/html').expect(200);
    await get(`/credentials/${second!.id}/badge.png`, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)').expect(200);
    await get(`/credentials/${second!.id}`).set('Accept', 'application/ld+json').expect(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await stats()).claimed).toBe(1);
    await get(`/credentials/${second!.id}.json`).expect(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await stats()).claimed).toBe(2);
    expect((await stats(other.apiKey)).claimed).toBe(0);
  });

  it('links "Add to LinkedIn" on the page through the counting address, marked not to be followed by robots', async () => {
    const page = (await get(`/credentials/${mine.id}`).set('Accept', 'text/html').expect(200)).text;
    expect(page).toContain(`href="${t.config.publicUrl}/credentials/${mine.id}/linkedin" rel="nofollow"`);
  });

  it('counts verifications of our credential by our verifier, the page and the API, but not of a copy altered to borrow its id', async () => {
    const before = (await stats()).verifications!;
    await request(t.app).post('/verify').set('User-Agent', BROWSER).send(mine.credential).expect(200);
    const jwt = (await get(`/credentials/${mine.id}.jwt`)).text;
    await request(t.app).post('/verify').set('User-Agent', BROWSER).type('application/vc+jwt').send(jwt).expect(200);
    await request(t.app).post('/verify').set('User-Agent', BROWSER).set('Accept', 'text/html').field('credential', JSON.stringify(mine.credential)).expect(200);
    const altered = await request(t.app).post('/verify').set('User-Agent', BROWSER).send({ ...mine.credential, name: 'Something else' }).expect(200);
    expect(altered.body.verdict).toBe('failed');
    await request(t.app).post('/verify').set('User-Agent', BROWSER).send({ ...mine.credential, id: 'https://elsewhere.example/credentials/1' }).expect(200);
    await request(t.app).post('/verify').send(mine.credential).expect(200);
    expect((await stats()).verifications! - before).toBe(3);
  });

  it('keeps each organisation\'s counts apart: another one awarding the same class counts only its own', async () => {
    await get(`/credentials/${theirs.id}`).set('Accept', 'text/html').expect(200);
    await get(`/credentials/${theirs.id}/badge.png`).expect(200);
    const ours = await stats();
    const theirStats = await stats(other.apiKey);
    expect(theirStats).toEqual({ badgeClass: SLUG, awarded: 1, delivered: 0, claimed: 1, views: 1, downloads: 1, verifications: 0 });
    expect(ours.awarded).toBe(2);
    expect(ours.views).toBeGreaterThanOrEqual(3);
  });

  it('counts the award e-mails that went out as delivered', async () => {
    const rows = await rawQuery(t, `select id from outbox where credential_id = '${mine.id}'`);
    expect(rows).toHaveLength(1);
    await t.ctx.storage.outbox.markSent(String(rows[0]!.id), new Date().toISOString(), '<m@example.org>');
    expect((await stats()).delivered).toBe(1);
  });

  it('stores numbers only: one row per organisation, badge class and metric, nothing about a credential or a reader', async () => {
    await t.ctx.usage.flush();
    const rows = await rawQuery(t, 'select * from usage_counts order by org_id, metric');
    expect(Object.keys(rows[0]!).sort()).toEqual(['badge_class', 'count', 'metric', 'org_id']);
    expect(rows.every((r) => r.badge_class === SLUG)).toBe(true);
    expect(new Set(rows.map((r) => `${String(r.org_id)} ${String(r.metric)}`)).size).toBe(rows.length);
  });

  it('answers 403 for a class the API key may not award, and 404 for an unknown one', async () => {
    const narrow = await addProvider(t.ctx, 'Narrow Provider', ['i-care-intercultural-competence']);
    const refused = await request(t.app).get(`/api/v1/badge-classes/${SLUG}/stats`).set('Authorization', `Bearer ${narrow.apiKey}`).expect(403);
    expect(refused.body.error.code).toBe('badge_class_not_allowed');
    const unknown = await request(t.app).get('/api/v1/badge-classes/no-such-class/stats').set('Authorization', `Bearer ${t.apiKey}`).expect(404);
    expect(unknown.body.error.code).toBe('badge_class_not_found');
  });
});

describe('the console overview', () => {
  it('shows each badge class\'s counts in a table whose rows carry their column names (for a phone)', async () => {
    await t.ctx.accounts.createUser({ email: 'viewer@example.org', password: 'guardare soltanto i badge', name: 'Vera', orgId: t.ctx.instance.id, role: 'viewer' });
    const b = new ConsoleBrowser(t.app);
    await b.signIn('viewer@example.org', 'guardare soltanto i badge');
    const s = await stats();
    const home = (await b.get('/console?lang=en')).text;
    const row = /<tr><th scope="row">([^<]*)<\/th>(.*?)<\/tr>/s.exec(home);
    expect(row?.[1]).toBe('Digital Communication in Home Care');
    const cells = [...row![2]!.matchAll(/<td data-label="([^"]*)">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(cells).toEqual([
      ['Awarded', String(s.awarded)],
      ['E-mailed', String(s.delivered)],
      ['Claimed', String(s.claimed)],
      ['Page views', String(s.views)],
      ['Downloads', String(s.downloads)],
      ['Verifications', String(s.verifications)],
    ]);
    expect(home).toContain('aria-describedby="usage-note"');
    expect(home).toMatch(/id="usage-note">Awarded, e-mailed and claimed count badges: claimed are those their learner took at least once/);
  });
});
