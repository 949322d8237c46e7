import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { SUPPORTED_LANGUAGES } from '../../src/badge-classes/schema.js';
import { learnerKey } from '../../src/recipients/identity.js';
import { ARTIFACTS, launchChromium, serveTestApp, seriousFindings, type ServedApp } from '../helpers/browser.js';

/** The pathway pages and a learner's progress page in Chromium, without JavaScript, on a 390 px phone, in the seven languages. */
let served: ServedApp;
let base = '';
let browser: Browser;
let page: Page;
let progress = '';
beforeAll(async () => {
  served = await serveTestApp();
  base = served.base;
  const { t } = served;
  for (const slug of ['i-care-intercultural-competence', 'i-care-language-barriers']) {
    await request(t.app).post('/api/v1/credentials').set('Authorization', `Bearer ${t.apiKey}`).send({ badgeClass: slug, recipient: { email: 'amira@example.org', name: 'Amira' }, notify: false }).expect(201);
  }
  progress = `/progress/${await t.ctx.progressLinks.tokenFor(t.ctx.instance.id, learnerKey(t.ctx.secrets, t.ctx.instance.id, 'amira@example.org'))}`;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('the pathway pages in a browser', () => {
  it.each(SUPPORTED_LANGUAGES)('fit a phone and pass axe (%s): the list, a pathway, a learner\'s progress', async (lang) => {
    for (const path of [`/pathways?lang=${lang}`, `/pathways/i-care-intercultural-care-pathway?lang=${lang}`, `/pathways/track-informal-carer-pathway?lang=${lang}`, `${progress}?lang=${lang}`]) {
      const response = await page.goto(`${base}${path}`);
      expect([path, response?.status()]).toEqual([path, 200]);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, 390]);
      expect([path, await seriousFindings(browser, await page.content(), base)]).toEqual([path, []]);
    }
    await page.goto(`${base}${progress}?lang=${lang}`);
    await page.screenshot({ path: join(ARTIFACTS, `pathway-progress-${lang}.png`), fullPage: true });
  });

  it('shows the learner where they are: one step done, one to go, the capstone ahead', async () => {
    await page.goto(`${base}${progress}?lang=en`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('1 of 2 steps done');
    expect(text).toMatch(/Step 1[^\n]*Done/);
    expect(text).toMatch(/Step 2[^\n]*Not yet/);
    expect(text).toContain('Complete every step to earn:');
  });

  it('is reached from the landing page', async () => {
    await page.goto(`${base}/?lang=it`);
    await page.locator('a[href="/pathways?lang=it"]').click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/pathways?lang=it`);
    await page.locator('a[href="/pathways/i-care-intercultural-care-pathway?lang=it"]').click();
    await page.waitForLoadState();
    expect(await page.locator('h1').innerText()).not.toBe('');
  });
});
