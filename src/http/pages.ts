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
    .vary('Accept-Language')
    .type('text/html; charset=utf-8')
    .send(html);
}
