/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../helpers/app.js';
import { ARTIFACTS, launchChromium, serveTestApp, seriousFindings, type ServedApp } from '../helpers/browser.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * A learning pathway from the coordinator's side, in headless Chromium, against the service with a
 * real SMTP server: the coordinator of a training provider defines a pathway of four badges leading
 * to a capstone, awards three of them to a learner from the award form, the fourth from a spreadsheet,
 * and the capstone is awarded automatically and e-mailed, naming the four as its evidence. Each badge
 * e-mail links to the learner's private progress page, which the learner opens on a phone.
 * Screenshots: test-artifacts/pathway-acceptance-*.png.
 */
let t: TestApp;
let smtp: TestSmtpServer;
let served: ServedApp;
let base = '';
let browser: Browser;
let coordinator: Page;

const LEARNER = 'ioana.popescu@example.org';
const COMPONENTS = ['carer-plus-digital-communication', 'carer-plus-online-safety', 'carer-plus-assistive-technology', 'carer-plus-digital-care-coordination'];
const CAPSTONE = 'carer-plus-digital-carer';

beforeAll(async () => {
  smtp = await startSmtpServer();
  served = await serveTestApp(
    { SMTP_URL: smtp.url, MAIL_FROM: 'badges@example.org' },
    { sendMail: true, mail: { busyPauseMs: 0, pollMs: 100 }, runJobs: true, jobs: { pollMs: 100 } },
  );
  ({ t, base } = served);
  // A training provider of the instance: the starter badges are shared with it; the starter pathways are not its own.
  const org = await t.ctx.organisations.create({ name: 'Asociația Îngrijire Acasă', slug: 'ingrijire-acasa' });
  await t.ctx.accounts.createUser({ email: 'coord@ingrijire.example.org', password: 'coordonez parcursuri mereu', name: 'Corina Coordinator', orgId: org.id, role: 'owner' });
  browser = await launchChromium();
  coordinator = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })).newPage();
  await coordinator.goto(`${base}/console/sign-in`);
  await coordinator.getByLabel('E-mail address').fill('coord@ingrijire.example.org');
  await coordinator.getByLabel('Password').fill('coordonez parcursuri mereu');
  await coordinator.getByRole('button', { name: 'Sign in' }).click();
  await coordinator.waitForURL(`${base}/console`);
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await smtp?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `pathway-acceptance-${name}.png`), fullPage: true });
const textOf = (page: Page) => page.locator('main').innerText();
const mailsTo = (to: string) => smtp.messages.filter((m) => m.envelope.to[0] === to);
const credentialLink = (mail: ReceivedMail) => new RegExp(`${base}/credentials/[0-9a-f-]{36}`).exec(mail.parsed.text ?? '')![0];

describe('a pathway of four badges and a capstone', () => {
  it('the coordinator defines it in the console', async () => {
    await coordinator.goto(`${base}/console/pathways/new`);
    const fill = (name: string, value: string) => coordinator.locator(`[name="${name}"]`).fill(value);
    await fill('slug', 'digital-carer-ro');
    await coordinator.locator('[name="mode"]').selectOption('blended');
    await fill('hours', '60');
    await coordinator.locator('[name="completion"]').selectOption('automatic');
    await fill('title.en', 'Digital carer');
    await fill('description.en', 'Four badges on digital skills in home care, then the certificate.');
    await fill('entryLevel.en', 'Care workers; no qualification needed.');
    await coordinator.locator('summary[lang="ro"]').first().click();
    await fill('title.ro', 'Îngrijitor digital');
    await fill('steps.0.title.en', 'Communication and safety');
    for (const [i, slug] of COMPONENTS.slice(0, 2).entries()) await coordinator.locator(`[name="steps.0.badgeClasses.${i}"]`).selectOption(slug);
    await fill('steps.1.title.en', 'Technology at home');
    for (const [i, slug] of COMPONENTS.slice(2).entries()) await coordinator.locator(`[name="steps.1.badgeClasses.${i}"]`).selectOption(slug);
    await coordinator.locator('[name="capstone"]').selectOption(CAPSTONE);
    await coordinator.locator('label', { hasText: 'DigComp 2.2 2.1:' }).locator('input').check();
    expect(await seriousFindings(browser, await coordinator.content(), base)).toEqual([]);
    await coordinator.getByRole('button', { name: 'Save the pathway' }).click();
    await coordinator.waitForURL(/\/console\/pathways\?saved=digital-carer-ro/);
    expect(await textOf(coordinator)).toContain('Digital carer');
    expect(t.ctx.pathways.get('digital-carer-ro')?.pathway.steps.map((s) => s.badgeClasses)).toEqual([COMPONENTS.slice(0, 2), COMPONENTS.slice(2)]);
    await shot(coordinator, '1-defined');
  });

  it('awards three of its badges to a learner from the award form: no capstone yet', async () => {
    for (const slug of COMPONENTS.slice(0, 3)) {
      await coordinator.goto(`${base}/console/award`);
      await coordinator.locator('select[name="badgeClass"]').selectOption(slug);
      await coordinator.locator('select[name="language"]').selectOption('ro');
      await coordinator.locator('[name="email"]').fill(LEARNER);
      await coordinator.locator('[name="name"]').fill('Ioana Popescu');
      await coordinator.getByRole('button', { name: 'Award the badge' }).click();
      await coordinator.waitForLoadState();
      expect(await textOf(coordinator)).toContain('Ioana Popescu');
    }
    await smtp.waitFor(3, 30_000);
    expect(mailsTo(LEARNER)).toHaveLength(3);
    expect((await t.ctx.storage.credentials.countByBadgeClass((await t.ctx.organisations.bySlug('ingrijire-acasa'))!.id)).map((c) => c.badgeClass)).not.toContain(CAPSTONE);
  });

  it('awards the fourth from a spreadsheet; the capstone follows by itself and is e-mailed', async () => {
    await coordinator.goto(`${base}/console/jobs/new`);
    await coordinator.locator('#s-badgeClass').selectOption(COMPONENTS[3]!);
    const sheet = Buffer.from(`E-mail;Name;Language\r\n${LEARNER};Ioana Popescu;ro\r\n`);
    await coordinator.locator('#s-file').setInputFiles({ name: 'cohort.csv', mimeType: 'text/csv', buffer: sheet });
    await coordinator.getByRole('button', { name: 'Check the spreadsheet' }).click();
    await coordinator.waitForURL(/\/console\/jobs\/[\w-]+$/);
    await coordinator.getByRole('button', { name: 'Award 1 badges' }).click();
    await coordinator.waitForFunction(() => document.body.innerText.includes('Done: 1 badges awarded.'), undefined, { timeout: 60_000 });
    await shot(coordinator, '2-job-done');

    // The fourth badge's e-mail and the capstone's.
    await smtp.waitFor(5, 60_000);
    const mails = mailsTo(LEARNER);
    expect(mails).toHaveLength(5);
    const capstoneMail = mails.find((m) => /Îngrijitor digital|Certificat/.test(m.parsed.subject ?? '') && !mails.slice(0, 4).includes(m)) ?? mails[4]!;
    const png = capstoneMail.parsed.attachments.find((a) => a.contentType === 'image/png')!;
    const report = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(png.content);
    expect(report.body.verified).toBe(true);
    const capstone = report.body.credential as { id: string; credentialSubject: { achievement: { id: string } }; evidence: Array<{ id: string }> };
    expect(capstone.credentialSubject.achievement.id).toBe(`${base}/achievements/${CAPSTONE}`);
    expect(capstone.id).toBe(credentialLink(capstoneMail));
    // Its evidence: the four badges, as their e-mails linked them.
    expect(capstone.evidence.map((e) => e.id).sort()).toEqual(mails.filter((m) => m !== capstoneMail).map(credentialLink).sort());
    const completions = await t.ctx.progress.completions((await t.ctx.organisations.bySlug('ingrijire-acasa'))!.id, { limit: 10 });
    expect(completions).toEqual([expect.objectContaining({ pathway: 'digital-carer-ro', state: 'awarded', credentialId: capstone.id.split('/').pop() })]);
  });

  it('the learner opens the progress link of a badge e-mail on a phone: the pathway is complete', async () => {
    const first = mailsTo(LEARNER)[0]!;
    const link = new RegExp(`${base}/progress/[\\w.-]+\\?lang=ro`).exec(first.parsed.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(first.parsed.text).toContain('Îngrijitor digital');
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ro-RO', javaScriptEnabled: false })).newPage();
    await phone.goto(link!);
    const text = await textOf(phone);
    expect(text).toContain('Îngrijitor digital');
    expect(text).toContain('Pași parcurși: 2 din 2');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousFindings(browser, await phone.content(), base)).toEqual([]);
    await shot(phone, '3-learner-progress');
    await phone.locator('a', { hasText: /Deschide/ }).first().click();
    await phone.waitForLoadState();
    expect(phone.url()).toMatch(/\/credentials\/[0-9a-f-]{36}/);
  });
});
