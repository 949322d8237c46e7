import request from 'supertest';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The skills profiling tool: a public questionnaire, answered without an account; its result (the
 * profile per competence, the recommended pathway, where to start, which badges to aim for first and
 * which the learner may already have); nothing kept unless the learner chooses: anonymous counts
 * with the box ticked, a result kept for a link they can share and delete.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const SLUG = 'carer-plus-digital-skills';
// The questionnaire asks of DigComp 2.1 (2 statements), 2.2, 4.1 (2), 4.2, 5.2 (2), 2.4, in that order.
const answers = (values: number[][]) => Object.fromEntries(values.flatMap((row, i) => row.map((v, j) => [`c${i}q${j}`, String(v)])));
const ALL_NEW = answers([[0, 0], [0], [0, 0], [0], [0, 0], [0]]);
const TALKS_ALREADY = answers([[3, 2], [2], [1, 0], [0], [1, 1], [0]]);
const send = (fields: Record<string, string>, lang = 'en') => request(t.app).post(`/profile/${SLUG}?lang=${lang}`).type('form').send(fields);
const count = async (table: string) => Number((await rawQuery(t, `select count(*) as n from ${table}`))[0]!.n);

describe('the profiling tool', () => {
  it('lists the self-assessments, one per project, and shows one in Romanian with four answers to each statement', async () => {
    const list = await request(t.app).get('/profile?lang=ro').expect(200);
    for (const slug of [SLUG, 'cares-wellbeing-new-skills', 'caring-care-leavers-support', 'i-care-intercultural-care', 'track-alzheimers-carer-skills']) expect(list.text).toContain(`/profile/${slug}?lang=ro`);
    const page = await request(t.app).get(`/profile/${SLUG}?lang=ro`).expect(200);
    expect(page.text).toContain('Știu să fac un apel video');
    expect(page.text).toContain('Pot face asta fără ajutor');
    expect(page.text.match(/type="radio" name="c0q0"/g)).toHaveLength(4);
    await request(t.app).get('/profile/no-such-questionnaire').expect(404);
  });

  it('recommends the pathway from its first step to a newcomer, and keeps nothing', async () => {
    const res = await send(ALL_NEW).expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.text).toContain('The learning pathway for you');
    expect(res.text).toContain('/pathways/carer-plus-digital-carer-pathway?lang=en');
    expect(res.text).toMatch(/Start at step 1: [^<]+/);
    expect(res.text).toContain('/achievements/carer-plus-digital-communication/image.svg');
    expect(res.text).not.toContain('You may already have the skills of these badges');
    expect(await count('profile_results')).toBe(0);
    expect(await count('profile_counts')).toBe(0);
  });

  it('sends someone who already communicates online to the next step, and names the badge they may have', async () => {
    const res = await send(TALKS_ALREADY).expect(200);
    expect(res.text).toMatch(/Start at step 2: [^<]+/);
    const mayHave = res.text.slice(res.text.indexOf('You may already have the skills of these badges'));
    expect(mayHave).toContain('/achievements/carer-plus-digital-communication/image.svg');
    // Each competence's level, in words.
    expect(res.text).toMatch(/Experienced|Independent/);
    expect(res.text).toContain('Not yet');
  });

  it('ignores answers outside the scale, and shows a competence left unanswered as such', async () => {
    const res = await send({ c0q0: '9', c0q1: 'x', c1q0: '2' }).expect(200);
    expect(res.text).toContain('Not answered');
  });

  it('adds to the anonymous counts only when the box is ticked: numbers, no answers of anyone', async () => {
    await send({ ...ALL_NEW, count: '1' }).expect(200);
    await send({ ...TALKS_ALREADY, count: '1' }).expect(200);
    const counts = Object.fromEntries((await t.ctx.profiling.counts(SLUG)).map((c) => [c.metric, c.count]));
    expect(counts.submitted).toBe(2);
    expect(counts['pathway:carer-plus-digital-carer-pathway']).toBe(2);
    expect(counts['level:digcomp-2.2 2.1:0']).toBe(1);
    expect(counts['level:digcomp-2.2 2.1:3']).toBe(1);
  });

  it('keeps a result only when asked: a link to share, and a key to delete it that only the learner has', async () => {
    const kept = await request(t.app).post(`/profile/${SLUG}/keep?lang=ro`).type('form').send(TALKS_ALREADY).expect(303);
    const [, id, key] = /^\/profile\/results\/([\w-]+)\?key=([\w-]+)&lang=ro$/.exec(kept.headers.location as string)!;
    expect(await rawQuery(t, 'select questionnaire, answers from profile_results')).toHaveLength(1);
    const owner = await request(t.app).get(kept.headers.location as string).expect(200);
    expect(owner.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(owner.text).toContain(`https://badges.example.org/profile/results/${id}`);
    expect(owner.text).toContain('/delete?lang=ro');
    const shared = await request(t.app).get(`/profile/results/${id}?lang=en`).expect(200);
    expect(shared.text).toContain('A learner shared the result of this self-assessment with you');
    expect(shared.text).not.toContain('/delete');
    expect(shared.text).toMatch(/Start at step 2/);
    await request(t.app).post(`/profile/results/${id}/delete`).type('form').send({ key: 'not-the-key' }).expect(404);
    await request(t.app).post(`/profile/results/${id}/delete`).type('form').send({ key }).expect(200);
    await request(t.app).get(`/profile/results/${id}`).expect(404);
    expect(await count('profile_results')).toBe(0);
  });

  it('forgets kept results after a year', async () => {
    const entry = t.ctx.profiling.questionnaires.get(SLUG)!;
    await t.ctx.storage.profiling.insertResult({ id: 'old', questionnaire: SLUG, answers: [[1]], keyHash: 'x', createdAt: '2024-01-01T00:00:00.000Z', expiresAt: '2025-01-01T00:00:00.000Z' });
    await request(t.app).get('/profile/results/old').expect(404);
    await t.ctx.profiling.keep(entry, [[1]]);
    expect((await rawQuery(t, 'select id from profile_results')).map((r) => r.id)).not.toContain('old');
  });
});
