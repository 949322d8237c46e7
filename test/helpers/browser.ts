/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium through playwright-core, as the browser tests use it: launched without a
 * sandbox (containers), with axe-core to audit a page, and a folder for screenshots.
 */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

/** axe-core's serious and critical findings on a page's HTML, audited in its own context (scripts on for axe only; nothing from elsewhere). */
export async function seriousFindings(browser: Browser, html: string, base: string): Promise<Array<{ id: string; impact: string }>> {
  const audit = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: true });
  try {
    const p = await audit.newPage();
    await p.route('**/*', (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
    await p.setContent(html, { waitUntil: 'load' });
    await p.addScriptTag({ content: axeSource });
    const violations = await p.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  } finally {
    await audit.close();
  }
}
