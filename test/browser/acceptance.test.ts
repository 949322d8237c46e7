/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../helpers/app.js';
import { ARTIFACTS, launchChromium, serveTestApp, seriousFindings, type ServedApp } from '../helpers/browser.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * A coordinator's first day, in headless Chromium, against the service with a real SMTP server: the
 * owner signs in and invites an issuer (the invitation arrives by e-mail); the issuer joins, defines
 * a badge in two languages, uploads a spreadsheet of 200 learners with three bad rows, reads why each
 * is refused, uploads the corrected file, confirms, and watches the progress bar reach 200; 200
 * e-mails arrive, each with a link that opens the badge and a PNG that verifies. A learner opens
 * the link on a 390×844 phone and downloads the certificate. Screenshots: test-artifacts/acceptance-*.png.
 */
const LEARNERS = 200;
let t: TestApp;
let smtp: TestSmtpServer;
let served: ServedApp;
let base = '';
let browser: Browser;

beforeAll(async () => {
  smtp = await startSmtpServer();
  served = await serveTestApp(
    { ISSUER_NAME: 'Casa di Cura Academy', SMTP_URL: smtp.url, MAIL_FROM: 'badges@casadicura.example.org' },
    { sendMail: true, mail: { busyPauseMs: 0, pollMs: 100 }, runJobs: true, jobs: { pollMs: 100, concurrency: 2 } },
  );
  ({ t, base } = served);
  await t.ctx.accounts.createUser({ email: 'olga@casadicura.example.org', password: 'una password da ricordare', name: 'Olga Owner', orgId: t.ctx.instance.id, role: 'owner' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await smtp?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `acceptance-${name}.png`), fullPage: true });
const textOf = (page: Page) => page.locator('main').innerText();
const learnerRows = (n: number) => Array.from({ length: n }, (_, i) => `learner${String(i).padStart(3, '0')}@example.org;Learner ${i};${i % 2 ? 'it' : 'en'};30/06/2026`);
const sheet = (rows: string[]) => Buffer.from(['E-mail;Name;Language;End date', ...rows].join('\r\n'));

describe('a coordinator’s first day', () => {
  let issuerPage: Page;

  it('the owner signs in and invites an issuer, whose invitation arrives by e-mail', async () => {
    const owner = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })).newPage();
    await owner.goto(`${base}/console/sign-in`);
    await owner.getByLabel('E-mail address').fill('olga@casadicura.example.org');
    await owner.getByLabel('Password').fill('una password da ricordare');
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await owner.waitForURL(`${base}/console`);
    await owner.goto(`${base}/console/people`);
    await owner.locator('#invite-email').fill('ida@casadicura.example.org');
    await owner.locator('#invite-role').selectOption('issuer');
    await owner.locator('form[action="/console/people/invite"] button[type="submit"]').click();
    expect(await textOf(owner)).toContain('ida@casadicura.example.org');
    await shot(owner, '1-invited');

    const [invitation] = await smtp.waitFor(1, 20_000);
    expect(invitation!.envelope.to).toEqual(['ida@casadicura.example.org']);
    const link = /https?:\/\/\S+\/console\/invitations\/[\w-]+/.exec(invitation!.parsed.text ?? '')?.[0];
    expect(link?.startsWith(`${base}/console/invitations/`)).toBe(true);

    issuerPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })).newPage();
    await issuerPage.goto(link!);
    await issuerPage.locator('#name').fill('Ida Issuer');
    await issuerPage.locator('#password').fill('rilascio i badge ogni giorno');
    await issuerPage.locator('form button[type="submit"]').click();
    await issuerPage.waitForURL(`${base}/console`);
    expect(await textOf(issuerPage)).toContain('Ida Issuer');
  });

  it('the issuer defines a badge in English and Italian', async () => {
    await issuerPage.goto(`${base}/console/badge-classes/new`);
    const fill = async (name: string, value: string) => issuerPage.locator(`[name="${name}"]`).fill(value);
    await fill('slug', 'dementia-care-basics');
    await issuerPage.locator('[name="achievementType"]').selectOption('MicroCredential');
    await fill('proficiencyLevel.framework', 'EQF');
    await fill('proficiencyLevel.code', '3');
    await fill('name.en', 'Dementia care basics');
    await fill('description.en', 'Supports a person living with dementia in daily routines at home.');
    await fill('criteria.narrative.en', '- completed the 12-hour course\n- passed the observed practice');
    await fill('proficiencyLevel.name.en', 'Foundation');
    // Each language's texts are in a section of their own, closed until opened.
    await issuerPage.locator('summary[lang="it"]').first().click();
    await fill('name.it', 'Basi dell’assistenza alla demenza');
    await fill('description.it', 'Sostiene una persona con demenza nelle routine quotidiane a casa.');
    await fill('criteria.narrative.it', '- ha completato il corso di 12 ore\n- ha superato la pratica osservata');
    await fill('proficiencyLevel.name.it', 'Base');
    await fill('alignments.0.targetFramework', 'ESCO');
    await fill('alignments.0.targetUrl', 'http://data.europa.eu/esco/skill/2475cd27-8d6c-4318-a364-21395b23acba');
    await fill('alignments.0.targetName.en', 'empathise with the healthcare user');
    await fill('alignments.0.targetName.it', 'entrare in empatia con la persona assistita');
    await issuerPage.locator('button[name="action"][value="save"]').click();
    await issuerPage.waitForURL(/\/console\/badge-classes\?saved=dementia-care-basics/);
    expect(t.ctx.catalog.get('dementia-care-basics')?.languages).toEqual(['en', 'it']);
    await shot(issuerPage, '2-badge-defined');
  });

  it('uploads 200 learners with three bad rows, and reads why each is refused', async () => {
    const rows = learnerRows(LEARNERS);
    rows[10] = 'learner010.example.org;Learner 10;it;30/06/2026';
    rows[57] = 'learner057@example.org;Learner 57;de;30/06/2026';
    rows[120] = 'learner120@example.org;Learner 120;en;31/06/2026';
    await issuerPage.goto(`${base}/console/jobs/new?badgeClass=dementia-care-basics`);
    await issuerPage.locator('#s-badgeClass').selectOption('dementia-care-basics');
    await issuerPage.locator('#s-file').setInputFiles({ name: 'cohort-autumn.csv', mimeType: 'text/csv', buffer: sheet(rows) });
    await issuerPage.getByRole('button', { name: 'Check the spreadsheet' }).click();
    await issuerPage.waitForURL(/\/console\/jobs\/[\w-]+$/);
    const preview = await textOf(issuerPage);
    expect(preview).toContain('200 rows: 197 can be awarded, 3 have problems.');
    const problems = await issuerPage.locator('#problems-heading ~ table tbody tr').allInnerTexts();
    expect(problems.map((p) => p.replace(/\s+/g, ' ').trim())).toEqual([
      'Row 12 E-mail This is not an e-mail address.',
      'Row 59 Language This badge has no text in Deutsch. It has: English, Italiano.',
      'Row 122 End date This is not a date. Write 31/12/2026 or 2026-12-31.',
    ]);
    expect(await seriousFindings(browser, await issuerPage.content(), base)).toEqual([]);
    await shot(issuerPage, '3-preview-with-problems');
    expect(Number((await t.ctx.storage.credentials.countByBadgeClass(t.ctx.instance.id)).length)).toBe(0);
  });

  it('uploads the corrected file, confirms, and watches the progress bar reach 200', async () => {
    await issuerPage.getByRole('link', { name: 'Upload a corrected spreadsheet' }).click();
    await issuerPage.locator('#s-file').setInputFiles({ name: 'cohort-autumn-fixed.csv', mimeType: 'text/csv', buffer: sheet(learnerRows(LEARNERS)) });
    await issuerPage.getByRole('button', { name: 'Check the spreadsheet' }).click();
    await issuerPage.waitForURL(/\/console\/jobs\/[\w-]+$/);
    expect(await textOf(issuerPage)).toContain('200 rows: 200 can be awarded, 0 have problems.');
    // Every value the bar takes, as the page's script moves it from the server-sent events (kept across the reload at the end).
    const seen: number[] = [];
    await issuerPage.exposeFunction('reportProgress', (value: number) => seen.push(value));
    await issuerPage.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const bar = document.getElementById('job-progress') as HTMLProgressElement | null;
        if (!bar) return;
        const report = (window as unknown as { reportProgress(v: number): void }).reportProgress;
        report(bar.value);
        new MutationObserver(() => report(bar.value)).observe(bar, { attributes: true, attributeFilter: ['value'] });
      });
    });
    await issuerPage.getByRole('button', { name: 'Award 200 badges' }).click();
    await issuerPage.waitForFunction(() => document.body.innerText.includes('Done: 200 badges awarded.'), undefined, { timeout: 120_000 });
    expect(seen.at(-1)).toBe(200);
    expect(seen.some((v) => v > 0 && v < 200)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await seriousFindings(browser, await issuerPage.content(), base)).toEqual([]);
    await shot(issuerPage, '4-done');
  });

  it('200 e-mails arrive, each with a link that opens the badge and a PNG that verifies', async () => {
    const all = await smtp.waitFor(1 + LEARNERS, 120_000);
    const awards = all.filter((m) => m.envelope.to[0]!.startsWith('learner'));
    expect(new Set(awards.map((m) => m.envelope.to[0])).size).toBe(LEARNERS);
    for (const mail of awards) {
      const link = new RegExp(`${base}/credentials/[0-9a-f-]{36}`).exec(mail.parsed.text ?? '')?.[0];
      expect(link).toBeDefined();
      const page = await request(t.app).get(link!.slice(base.length)).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      const png = mail.parsed.attachments.find((a) => a.contentType === 'image/png');
      const report = await request(t.app).post('/verify').set('Content-Type', 'image/png').send(png!.content);
      expect({ to: mail.envelope.to[0], verified: report.body.verified, id: report.body.credential?.id }).toEqual({ to: mail.envelope.to[0], verified: true, id: link });
    }
  }, 180_000);

  it('a learner opens the link on a phone and downloads the certificate', async () => {
    const mail = smtp.messages.find((m) => m.envelope.to[0] === 'learner001@example.org')!;
    const link = new RegExp(`${base}/credentials/[0-9a-f-]{36}`).exec(mail.parsed.text ?? '')![0];
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'it-IT', acceptDownloads: true });
    const page = await phone.newPage();
    await page.goto(link);
    expect(await textOf(page)).toContain('Basi dell’assistenza alla demenza');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, '5-learner-phone');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href$="/certificate.pdf"]').click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await phone.close();
  });
});
