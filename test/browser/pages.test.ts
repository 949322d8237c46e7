/// <reference lib="dom" />
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { TestApp } from '../helpers/app.js';
import { ARTIFACTS, launchChromium, recordOutside, serveTestApp, type ServedApp } from '../helpers/browser.js';
import { binary } from '../helpers/verify.js';

/**
 * The pages as people use them, in a real browser: Debian's Chromium driven by playwright-core.
 * Screenshots are kept in test-artifacts/ for a person to look at.
 */

let t: TestApp;
let served: ServedApp;
let base = '';
let browser: Browser;
let page: Page;
const outside: string[] = [];

beforeAll(async () => {
  served = await serveTestApp({ ISSUER_NAME: 'Casa di Cura Academy' });
  ({ t, base } = served);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false, locale: 'en-GB' });
  page = await context.newPage();
  // The pages load nothing from elsewhere: record any request that leaves our origin.
  recordOutside(page, base, outside);
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

async function issue(body: object = {}) {
  const res = await request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${t.apiKey}`)
    .send({ badgeClass: 'carer-plus-digital-communication', recipient: { email: 'maria.rossi@example.org', name: 'Maria Rossi' }, evidence: [{ name: 'Care diary', narrative: 'Kept a digital care diary for four weeks.' }], ...body })
    .expect(201);
  return res.body as { id: string; url: string };
}

describe('the credential page', () => {
  it('shows the badge, the verified state and the competences', async () => {
    const { url } = await issue();
    await page.goto(url);
    await page.screenshot({ path: join(ARTIFACTS, 'credential-page.png'), fullPage: true });
    const text = await page.locator('main').innerText();
    expect(text).toContain('Digital Communication in Home Care');
    expect(text).toContain('Verified');
    expect(text).toContain('The signature is intact: the badge has not been changed');
    expect(text).toContain('Maria Rossi');
    expect(text).toContain('Casa di Cura Academy');
    // The competences: framework, code and name, linked to the competence's own page.
    expect(text).toContain('DigComp 2.2');
    expect(text).toContain('Interacting through digital technologies');
    const link = page.getByRole('link', { name: /Interacting through digital technologies/ });
    expect(await link.getAttribute('href')).toBe(`${base}/frameworks/digcomp-2.2/2.1`);
    await link.click();
    await page.waitForLoadState();
    expect(await page.locator('h1').innerText()).toBe('Interacting through digital technologies');
    await page.goBack();
    expect(await page.locator('img').first().getAttribute('alt')).toBeTruthy();
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe('Digital Communication in Home Care');
    expect(outside).toEqual([]);
  });

  it('checks the recipient with the form, without JavaScript', async () => {
    const { url } = await issue();
    await page.goto(url);
    await page.getByLabel(/e-mail/i).first().fill('maria.rossi@example.org');
    await page.getByRole('button', { name: /check/i }).click();
    await page.waitForLoadState();
    expect(await page.locator('main').innerText()).toContain('This badge was issued to maria.rossi@example.org');
  });

  it('is translated: the Italian page', async () => {
    const { url } = await issue({ language: 'it' });
    await page.goto(`${url}?lang=it`);
    await page.screenshot({ path: join(ARTIFACTS, 'credential-page-it.png'), fullPage: true });
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    expect(await page.locator('main').innerText()).toContain("Comunicazione digitale nell'assistenza domiciliare");
  });

  it('says revoked, with the date, after the provider revokes the badge', async () => {
    const { id, url } = await issue();
    await request(t.app).post(`/api/v1/credentials/${id}/revoke`).set('Authorization', `Bearer ${t.apiKey}`).send({ reason: 'Issued to the wrong learner', publishReason: true }).expect(200);
    await page.goto(url);
    await page.screenshot({ path: join(ARTIFACTS, 'credential-page-revoked.png'), fullPage: true });
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/Revoked on \d{1,2} \w+ \d{4}/);
    expect(text).toContain('Issued to the wrong learner');
    expect(text).not.toMatch(/^Verified$/m);
  });
});

describe('the verify page', () => {
  it('takes an uploaded baked PNG and shows the report', async () => {
    const { url } = await issue();
    const png = await binary(request(t.app).get(`${url.slice(base.length)}/badge.png`));
    const file = join(tmpdir(), `badge-${Date.now()}.png`);
    writeFileSync(file, png.body as Buffer);
    await page.goto(`${base}/verify`);
    await page.screenshot({ path: join(ARTIFACTS, 'verify-page.png'), fullPage: true });
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: /verify/i }).click();
    await page.waitForLoadState();
    await page.screenshot({ path: join(ARTIFACTS, 'verify-page-report.png'), fullPage: true });
    const text = await page.locator('main').innerText();
    expect(text).toContain('Verified');
    expect(text).toContain('The signature is intact: the badge has not been changed');
    expect(text).toContain('Digital Communication in Home Care');
  });

  it('explains input it cannot read', async () => {
    await page.goto(`${base}/verify`);
    await page.getByLabel(/paste/i).fill('this is not a badge');
    await page.getByRole('button', { name: /verify/i }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').innerText()).toMatch(/could not be read/i);
  });
});

/** axe-core in the page (a JavaScript-enabled context only for the audit): no serious or critical finding. */
async function expectNoSeriousAxeFindings(html: string): Promise<void> {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: true });
  try {
    const audit = await context.newPage();
    await audit.route('**/*', (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
    await audit.setContent(html, { waitUntil: 'load' });
    await audit.addScriptTag({ content: axeSource });
    const violations = await audit.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  } finally {
    await context.close();
  }
}

describe('verdicts in the browser: green, amber and red, in several languages', () => {
  const vector = readFileSync(new URL('../fixtures/ob3-spec/ob3-spec-test-vector-signed.json', import.meta.url), 'utf8');

  async function verifyPasted(text: string, lang: string, shot: string, width = 390) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${base}/verify?lang=${lang}`);
    await page.locator('textarea').fill(text);
    await page.locator('button[type=submit]').click();
    await page.waitForLoadState();
    await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
    await page.setViewportSize({ width: 1200, height: 900 });
    return page.locator('.verdict');
  }

  it.each([
    ['en', 'Not confirmed yet', 'could not confirm that this key belongs to the issuer'],
    ['it', 'Non ancora confermato', 'Riprova più tardi'],
  ])('shows amber for a genuine signature whose key the issuer could not confirm (%s)', async (lang, title, reason) => {
    const verdict = await verifyPasted(vector, lang, `verify-unconfirmed-${lang}.png`);
    expect(await verdict.getAttribute('class')).toContain('verdict--warn');
    const text = await verdict.innerText();
    expect(text).toContain(title);
    expect(text).toContain(reason);
    // Amber is its own colour, not the red of a failure or the green of success.
    const colour = await verdict.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(colour).toBe('rgb(255, 245, 223)');
    await expectNoSeriousAxeFindings(await page.content());
  });

  it.each([
    ['en', 'Could not be verified'],
    ['de', 'Konnte nicht verifiziert werden'],
  ])('shows red for a changed credential (%s)', async (lang, title) => {
    const changed = JSON.parse(vector) as { credentialSubject: { achievement: { name: string } } };
    changed.credentialSubject.achievement.name = 'Brain surgery';
    const verdict = await verifyPasted(JSON.stringify(changed), lang, `verify-failed-${lang}.png`);
    expect(await verdict.getAttribute('class')).toContain('verdict--bad');
    expect(await verdict.innerText()).toContain(title);
    expect(await verdict.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(253, 238, 238)');
    await expectNoSeriousAxeFindings(await page.content());
  });

  it('shows a badge awarded in Italian in English on a 390 px phone, with the signed Italian text a click away, and passes axe', async () => {
    const { url } = await issue({ language: 'it' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}?lang=en`);
    expect(await page.locator('h1').innerText()).toBe('Digital Communication in Home Care');
    const summary = page.locator('details.signed-text summary');
    expect(await summary.innerText()).toBe('The signed text (Italian)');
    expect(await page.locator('details.signed-text div[lang="it"]').isVisible()).toBe(false);
    await summary.click();
    expect(await page.locator('details.signed-text div[lang="it"]').innerText()).toContain("Comunicazione digitale nell'assistenza domiciliare");
    await page.screenshot({ path: join(ARTIFACTS, 'credential-page-translated-phone.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1200, height: 900 });
    await expectNoSeriousAxeFindings(await page.content());
  });

  it('shows green for our own credential, on a 390 px phone, and passes axe', async () => {
    const { url } = await issue();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url);
    await page.screenshot({ path: join(ARTIFACTS, 'credential-page-phone.png'), fullPage: true });
    const verdict = page.locator('.verdict');
    expect(await verdict.getAttribute('class')).toContain('verdict--ok');
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1200, height: 900 });
    await expectNoSeriousAxeFindings(await page.content());
  });
});
