import type { Response } from 'express';

/**
 * HTML pages carry no script and load nothing from elsewhere; the policy says so to the browser.
 */
const PAGE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function sendPage(res: Response, html: string, lang: string): void {
  res
    .set('Content-Security-Policy', PAGE_CSP)
    .set('Content-Language', lang)
    .set('Referrer-Policy', 'no-referrer')
    // Pages say what is true now (a badge may be revoked at any moment): always ask again.
    .set('Cache-Control', 'no-cache')
    .vary('Accept-Language')
    .type('text/html; charset=utf-8')
    .send(html);
}
