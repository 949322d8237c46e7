import type { Response } from 'express';

/**
 * HTML pages load nothing from elsewhere and, but for a page that says otherwise, carry no script; the policy says so to the browser.
 */
const PAGE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * `referrerPolicy` is `no-referrer` for public pages. The console's pages use `same-origin`: with
 * `no-referrer`, browsers send their forms with `Origin: null`, and the console checks that its forms
 * come from its own origin.
 */
export function sendPage(
  res: Response,
  html: string,
  lang: string,
  {
    referrerPolicy = 'no-referrer',
    ownScripts = false,
    cacheControl = 'no-cache',
  }: { referrerPolicy?: 'no-referrer' | 'same-origin'; ownScripts?: boolean; cacheControl?: 'no-cache' | 'private, no-store' } = {},
): void {
  res
    // A page that is better with its own script (a live progress bar) may run scripts of this origin, and only those.
    .set('Content-Security-Policy', ownScripts ? `${PAGE_CSP}; script-src 'self'; connect-src 'self'` : PAGE_CSP)
    .set('Content-Language', lang)
    .set('Referrer-Policy', referrerPolicy)
    // Pages say what is true now (a badge may be revoked at any moment): always ask again. A private
    // page (a learner's progress) is not kept at all.
    .set('Cache-Control', cacheControl)
    .vary('Accept-Language')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** A console page: as `sendPage`, with the referrer policy that lets its forms say where they come from. */
export const sendConsolePage = (res: Response, html: string, lang: string, { ownScripts = false }: { ownScripts?: boolean } = {}): void =>
  sendPage(res, html, lang, { referrerPolicy: 'same-origin', ownScripts });
