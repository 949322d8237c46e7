import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { ARTIFACTS, launchChromium, serveTestApp, seriousFindings, type ServedApp } from '../helpers/browser.js';

/** The competence framework pages in Chromium, without JavaScript, on a 390 px phone, in the seven languages. */
let served: ServedApp;
let base = '';
let browser: Browser;
let page: Page;
beforeAll(async () => {
  served = await serveTestApp();
  base = served.base;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('the framework pages in a browser', () => {
  it.each(SUPPORTED_LANGUAGES)('fit a phone and pass axe (%s): the list, a search, DigComp, a competence', async (lang) => {
    for (const path of [`/frameworks?lang=${lang}`, `/frameworks?lang=${lang}&q=2.1`, `/frameworks/digcomp-2.2?lang=${lang}`, `/frameworks/digcomp-2.2/2.1?lang=${lang}`, `/frameworks/lifecomp?lang=${lang}`]) {
      const response = await page.goto(`${base}${path}`);
      expect([path, response?.status()]).toEqual([path, 200]);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, 390]);
      expect([path, await seriousFindings(browser, await page.content(), base)]).toEqual([path, []]);
    }
    await page.goto(`${base}/frameworks/digcomp-2.2?lang=${lang}`);
    await page.screenshot({ path: join(ARTIFACTS, `frameworks-digcomp-${lang}.png`), fullPage: true });
  });

  it('is reached from the landing page, which fits a phone and passes axe', async () => {
    await page.goto(`${base}/?lang=de`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    expect(await seriousFindings(browser, await page.content(), base)).toEqual([]);
    await page.getByRole('link', { name: 'Die Kompetenzrahmen, auf die sich die Badges beziehen' }).click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/frameworks?lang=de`);
    expect(await page.locator('h1').innerText()).toBe('Kompetenzrahmen');
  });

  it('searches through the form, without JavaScript', async () => {
    await page.goto(`${base}/frameworks?lang=ro`);
    await page.locator('#q').fill('empatie');
    await page.locator('form[role=search] button').click();
    await page.waitForLoadState();
    await page.locator('a[href="/frameworks/lifecomp/S1?lang=ro"]').click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/frameworks/lifecomp/S1?lang=ro`);
    expect(await page.locator('h1').innerText()).toBe('Empatie');
  });
});
