import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { ARTIFACTS, launchChromium, recordOutside, serveTestApp, seriousFindings, type ServedApp } from '../helpers/browser.js';

/**
 * The skills profiling tool in headless Chromium on a 390 px phone, without JavaScript: a learner
 * takes the CARER+ self-assessment in Romanian, gets their profile and a recommended pathway, keeps
 * the result for a link, and deletes it. Every page passes axe, in the seven languages.
 * Screenshots: test-artifacts/profile-*.png.
 */
let served: ServedApp;
let base = '';
let browser: Browser;
let page: Page;
const outside: string[] = [];
beforeAll(async () => {
  served = await serveTestApp();
  base = served.base;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: 'ro-RO' });
  recordOutside(context, base, outside);
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
const axe = async () => expect(await seriousFindings(browser, await page.content(), base)).toEqual([]);

describe('the profiling tool on a phone', () => {
  it('a learner takes the self-assessment in Romanian and gets a recommended pathway', async () => {
    await page.goto(`${base}/?lang=ro`);
    await page.locator('a[href="/profile?lang=ro"]').click();
    await page.waitForLoadState();
    await fits();
    await axe();
    await page.locator('a[href="/profile/carer-plus-digital-skills?lang=ro"]').click();
    await page.waitForLoadState();
    expect(await page.locator('h1').innerText()).not.toBe('');
    await fits();
    await axe();
    await page.screenshot({ path: join(ARTIFACTS, 'profile-1-questions-ro.png'), fullPage: true });

    // Video calls and messages: done on their own, even helping others; the rest not yet. Each answer by its label, as a screen reader user would.
    const groups = page.locator('fieldset.question');
    const count = await groups.count();
    expect(count).toBe(9);
    for (let i = 0; i < count; i++) {
      const answer = i < 3 ? 'Îi pot ajuta pe alții să facă asta' : 'Nu am făcut încă asta';
      await groups.nth(i).getByLabel(answer).check();
    }
    await page.getByRole('button', { name: 'Vedeți rezultatul' }).click();
    await page.waitForLoadState();
    const result = await page.locator('main').innerText();
    expect(result).toContain('Parcursul de învățare potrivit pentru dvs.');
    expect(result).toMatch(/Începeți cu pasul 2/);
    await fits();
    await axe();
    await page.screenshot({ path: join(ARTIFACTS, 'profile-2-result-ro.png'), fullPage: true });
    const pathway = await page.locator('#pathway-heading + h3 a').getAttribute('href');
    expect(pathway).toBe('/pathways/carer-plus-digital-carer-pathway?lang=ro');
  });

  it('keeps the result for a link, which a provider opens, and the learner deletes it', async () => {
    await page.getByRole('button', { name: 'Salvați și primiți un link' }).click();
    await page.waitForLoadState();
    const share = (await page.locator('.share-link').innerText()).trim();
    expect(share).toMatch(new RegExp(`^${base}/profile/results/[\\w-]+$`));
    await fits();
    await axe();
    const owner = page.url();
    await page.goto(share);
    expect(await page.locator('main').innerText()).toContain('Începeți cu pasul 2');
    expect(await page.locator('form[action*="/delete"]').count()).toBe(0);
    await page.goto(owner);
    await page.getByRole('button', { name: 'Ștergeți rezultatul' }).click();
    await page.waitForLoadState();
    const gone = await page.goto(share);
    expect(gone?.status()).toBe(404);
  });

  it.each(SUPPORTED_LANGUAGES)('fits a phone and passes axe in %s: the list, a questionnaire and a result', async (lang) => {
    for (const path of [`/profile?lang=${lang}`, `/profile/i-care-intercultural-care?lang=${lang}`]) {
      const response = await page.goto(`${base}${path}`);
      expect([path, response?.status()]).toEqual([path, 200]);
      await fits();
      await axe();
    }
    await page.locator('fieldset.question').first().locator('input[value="2"]').check();
    await page.locator('form button[type="submit"]').click();
    await page.waitForLoadState();
    await fits();
    await axe();
  });

  it('loads nothing from anywhere else', () => {
    expect(outside).toEqual([]);
  });
});
