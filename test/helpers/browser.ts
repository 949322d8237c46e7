/// <reference lib="dom" />
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp, type TestAppOptions } from './app.js';
import { freePort } from './net.js';

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

/** A test app listening on a free port of 127.0.0.1, its links on that address, for a browser to open. */
export interface ServedApp {
  t: TestApp;
  base: string;
  close(): Promise<void>;
}

export async function serveTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<ServedApp> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await startTestApp({ PUBLIC_URL: base, ...env }, options);
  const server = t.app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    t,
    base,
    async close() {
      server.close();
      await t.close();
    },
  };
}

/** Notes every request a page makes outside `base` (the pages load nothing from elsewhere). */
export function recordOutside(target: { on(event: 'request', listener: (r: { url(): string }) => void): unknown }, base: string, outside: string[]): void {
  target.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
  });
}
