/// <reference lib="dom" />
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { ARTIFACTS, launchChromium, recordOutside, serveTestApp, seriousFindings as findingsOf, type ServedApp } from '../helpers/browser.js';

/**
 * The console in a real browser (Debian's Chromium) on a 390 px phone with JavaScript off: every page
 * works, fits the screen, loads nothing from elsewhere, and axe-core finds no serious or critical
 * problem, in English and in Italian. Screenshots are kept in test-artifacts/console-*.png.
 */

let t: TestApp;
let served: ServedApp;
let base = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const outside: string[] = [];

beforeAll(async () => {
  served = await serveTestApp({ ISSUER_NAME: 'Casa di Cura Academy' });
  ({ t, base } = served);
  await t.ctx.accounts.createUser({ email: 'owner@example.org', password: 'una password da ricordare', name: 'Olga Owner', orgId: t.ctx.instance.id, role: 'owner' });
  await t.ctx.accounts.invite({ orgId: t.ctx.instance.id, email: 'pending@example.org', role: 'issuer', by: 'cli' });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: 'en-GB' });
  page = await context.newPage();
  recordOutside(page, base, outside);
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** axe-core on the page's HTML, in a context where scripts run only for the audit. */
const seriousFindings = (html: string) => findingsOf(browser, html, base);

async function check(path: string, shot: string): Promise<string> {
  const response = await page.goto(`${base}${path}`);
  expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
  await page.screenshot({ path: join(ARTIFACTS, `console-${shot}.png`), fullPage: true });
  // Nothing wider than the phone: no sideways scrolling.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect({ path, width: width <= 390 }).toEqual({ path, width: true });
  expect({ path, findings: await seriousFindings(await page.content()) }).toEqual({ path, findings: [] });
  return page.locator('main').innerText();
}

describe('the console on a phone, without JavaScript', () => {
  it('signs in through the form', async () => {
    await check('/console/sign-in', 'sign-in');
    await page.getByLabel('E-mail address').fill('owner@example.org');
    await page.getByLabel('Password').fill('una password da ricordare');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/console`);
    expect(await page.locator('main').innerText()).toContain('Olga Owner');
    expect(await page.locator('footer').innerText()).toContain('signed by your organisation');
  });

  it.each([
    ['/console', 'home', 'Overview'],
    ['/console/badge-classes', 'badge-classes', 'Digital Communication in Home Care'],
    ['/console/badge-classes/new', 'badge-class-new', 'The essentials'],
    ['/console/badge-classes/carer-plus-digital-communication/edit', 'badge-class-edit', 'Deutsch'],
    ['/console/frameworks', 'frameworks', 'New framework'],
    ['/console/pathways', 'pathways', 'Completions awaiting your approval'],
    ['/console/pathways/new', 'pathway-new', 'Badges needed to complete the step'],
    ['/console/pathways/carer-plus-digital-carer-pathway/edit', 'pathway-edit', 'Română'],
    ['/console/questionnaires', 'questionnaires', 'Digital skills in home care'],
    ['/console/questionnaires/new', 'questionnaire-new', 'Competences and statements'],
    ['/console/questionnaires/carer-plus-digital-skills/edit', 'questionnaire-edit', 'Română'],
    ['/console/questionnaires/carer-plus-digital-skills/counts', 'questionnaire-counts', 'Levels per competence'],
    ['/console/endorsements', 'endorsements', 'Endorsements in force'],
    ['/console/award', 'award', 'Award the badge'],
    ['/console/people', 'people', 'pending@example.org'],
    ['/console/api-keys', 'api-keys', 'Create the key'],
    ['/console/settings', 'settings', 'Change the signing keys'],
    ['/console/audit', 'audit', 'person.invited'],
    ['/console/awards', 'awards', 'Results'],
    ['/console/people?lang=it', 'people-it', 'Invita'],
    ['/console/award?lang=it', 'award-it', 'badge'],
    ['/console/frameworks/new?lang=lt', 'framework-new-lt', 'Română'],
  ])('%s works, fits 390 px and passes axe', async (path, shot, expected) => {
    expect(await check(path, shot)).toContain(expected);
  });

  it('finds a competence in Lithuanian from the badge form and adds it, without JavaScript, and passes axe', async () => {
    await page.goto(`${base}/console/badge-classes/new?lang=lt`);
    await page.locator('#f-competence-query').fill('saveika');
    await page.locator('#f-competence-framework').selectOption('digcomp-2.2');
    await page.locator('button[value="find-competence"]').click();
    await page.waitForLoadState();
    expect(await page.locator('#competence-results').innerText()).toMatch(/Rastos kompetencijos pagal „saveika“: [1-9]/);
    expect({ findings: await seriousFindings(await page.content()) }).toEqual({ findings: [] });
    await page.locator('button[value="add-competence:digcomp-2.2:2.1"]').click();
    await page.waitForLoadState();
    expect(await page.locator('#f-alignments-0-targetCode').inputValue()).toBe('2.1');
    expect(await page.locator('#f-alignments-0-targetName-lt').inputValue()).toBe('Sąveika naudojant skaitmenines technologijas');
    await page.screenshot({ path: join(ARTIFACTS, 'console-competence-added-lt.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect({ findings: await seriousFindings(await page.content()) }).toEqual({ findings: [] });
  });

  it('awards a badge through the form and links to it', async () => {
    await page.goto(`${base}/console/award?lang=en`);
    await page.getByLabel('E-mail address').fill('learner@example.org');
    await page.getByLabel('Name of the learner').fill('Lina Learner');
    await page.getByRole('button', { name: 'Award the badge' }).click();
    const text = await page.locator('main').innerText();
    expect(text).toContain('Badge awarded to Lina Learner.');
    const href = await page.getByRole('link', { name: 'Open the badge' }).getAttribute('href');
    expect(href).toMatch(new RegExp(`^${base}/credentials/[0-9a-f-]{36}$`));
    await page.screenshot({ path: join(ARTIFACTS, 'console-awarded.png'), fullPage: true });
  });

  it('finds the award just made and offers to revoke it', async () => {
    await page.goto(`${base}/console/awards?q=lina`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Lina Learner');
    expect(text).toContain('Valid');
    expect(await page.locator('summary', { hasText: 'Revoke' }).count()).toBe(1);
  });

  it('shows the award in the overview\'s counts, in a table that fits 390 px and passes axe, in English and German', async () => {
    await t.ctx.usage.flush();
    const text = await check('/console?lang=en', 'home-counts');
    expect(text).toContain('Your badges, per badge class');
    // On the phone each row stacks, every figure labelled by its column (the labels are drawn from data-label).
    expect(await page.locator('tbody th[scope="row"]').allInnerTexts()).toEqual(['AAL and Assistive Technology at Home']);
    expect(await page.locator('td[data-label="Awarded"]').allInnerTexts()).toEqual(['1']);
    expect(await page.locator('td[data-label="Page views"]').count()).toBe(1);
    await check('/console?lang=de', 'home-counts-de');
    expect(await page.locator('td[data-label="Seitenaufrufe"]').count()).toBe(1);
  });

  it('renews the award from its form, in Romanian, at 390 px and axe-clean', async () => {
    await page.goto(`${base}/console/awards?q=lina&lang=ro`);
    const href = await page.locator('a[href$="/renew"]').first().getAttribute('href');
    expect(href).toMatch(/^\/console\/awards\/[0-9a-f-]{36}\/renew$/);
    const text = await check(`${href}?lang=ro`, 'renew-ro');
    expect(text).toContain('Emiteți reînnoirea');
    await page.locator('[name="result"]').fill('Reevaluare promovată');
    await page.locator('form.stack-form button[type="submit"]').click();
    await page.waitForLoadState();
    expect(await page.locator('main .notice').first().innerText()).toContain('Lina Learner');
    expect({ findings: await seriousFindings(await page.content()) }).toEqual({ findings: [] });
  });

  it('loaded nothing from another site', () => {
    expect(outside).toEqual([]);
  });
});
