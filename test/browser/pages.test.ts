import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';
import { binary } from '../helpers/verify.js';

/**
 * The pages as people use them, in a real browser: Debian's Chromium driven by playwright-core.
 * Screenshots are kept in test-artifacts/ for a person to look at.
 */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let server: Server;
let base = '';
let browser: Browser;
let page: Page;
const outside: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await startTestApp({ PUBLIC_URL: base, ISSUER_NAME: 'Casa di Cura Academy' });
  server = t.app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false, locale: 'en-GB' });
  page = await context.newPage();
  // The pages load nothing from elsewhere: record any request that leaves our origin.
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
  });
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  t?.close();
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
    expect(text).toContain('Signed by the issuer');
    expect(text).toContain('Maria Rossi');
    expect(text).toContain('Casa di Cura Academy');
    // The competences: framework, code and name, linked to the framework.
    expect(text).toContain('DigComp 2.2');
    expect(text).toContain('Interacting through digital technologies');
    const link = page.getByRole('link', { name: /Interacting through digital technologies/ });
    expect(await link.getAttribute('href')).toBe('https://publications.jrc.ec.europa.eu/repository/handle/JRC128415');
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
    expect(text).toContain('Signed by the issuer');
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
