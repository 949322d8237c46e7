/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import type { OpenApiDocument } from '../../src/http/openapi/document.js';
import { anchorOf, operationsOf } from '../../src/pages/api-reference.js';
import { ARTIFACTS, launchChromium, recordOutside, serveTestApp, type ServedApp } from '../helpers/browser.js';

/**
 * The API reference page in a real browser (Debian's Chromium through playwright-core), as
 * test/browser/pages.test.ts does for the other pages: on a 390 px phone, without JavaScript, and
 * audited with axe-core. Screenshots are kept in test-artifacts/.
 */

let served: ServedApp;
let base = '';
let browser: Browser;
let phone: BrowserContext;
const outside: string[] = [];

beforeAll(async () => {
  served = await serveTestApp();
  base = served.base;
  browser = await launchChromium();
  phone = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: 'en-GB' });
  recordOutside(phone, base, outside);
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

it('lists every operation of the document, fits a 390 px phone without JavaScript, and loads nothing from elsewhere', async () => {
  const apiDocument = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
  const page = await phone.newPage();
  await page.goto(`${base}/api/reference`);
  await page.screenshot({ path: join(ARTIFACTS, 'api-reference-phone.png'), fullPage: false });
  const operations = operationsOf(apiDocument);
  expect(operations.length).toBeGreaterThan(20);
  for (const op of operations) {
    const heading = page.locator(`#${anchorOf(op)}-title`);
    expect(await heading.innerText()).toBe(`${op.method.toUpperCase()} ${op.path}`);
  }
  // The contents link to every operation.
  expect(await page.locator('nav[aria-labelledby="contents"] a[href^="#"]').count()).toBeGreaterThanOrEqual(operations.length);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // An example opens without script (details/summary).
  const example = page.locator('#issueCredential details').first();
  await example.locator('summary').click();
  expect(await example.locator('pre').isVisible()).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(outside).toEqual([]);
  await page.close();
});

it('has no serious or critical axe-core findings, on a phone and on a desktop', async () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const html = await (await fetch(`${base}/api/reference`)).text();
  for (const viewport of [{ width: 390, height: 844 }, { width: 1200, height: 900 }]) {
    // JavaScript only for the audit itself.
    const context = await browser.newContext({ viewport, javaScriptEnabled: true });
    try {
      const audit = await context.newPage();
      await audit.route('**/*', (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
      await audit.setContent(html, { waitUntil: 'load' });
      // Open every example, so their contents are audited too.
      await audit.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
      await audit.addScriptTag({ content: axeSource });
      const { violations, passes } = await audit.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }>; passes: unknown[] }> } }).axe.run();
        return { violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })), passes: result.passes.length };
      });
      // axe ran its rules over the page (an empty page would pass few).
      expect(passes).toBeGreaterThan(20);
      expect({ viewport: viewport.width, serious: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ viewport: viewport.width, serious: [] });
    } finally {
      await context.close();
    }
  }
});
