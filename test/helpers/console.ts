import request from 'supertest';
import type { Express } from 'express';

/**
 * A browser's view of the console, for supertest: it keeps the session cookie (the test app is on
 * https, so the cookie is Secure and `__Host-`, which supertest's own jar would not send over http),
 * reads each page's CSRF token, and posts forms as a browser does.
 */
export class ConsoleBrowser {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly app: Express,
    readonly origin = 'https://badges.example.org',
  ) {}

  private keep(res: request.Response): request.Response {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of set ?? []) {
      const [pair, ...attributes] = line.split(';');
      const [name, value = ''] = pair!.split('=');
      if (attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    const token = /name="_csrf" value="([^"]*)"/.exec(res.text ?? '')?.[1];
    if (token) this.csrf = token;
    return res;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<request.Response> {
    return this.keep(await request(this.app).get(path).set('Cookie', this.cookieHeader()).set('Accept', 'text/html').redirects(0));
  }

  /** A form post with the page's CSRF token (unless `_csrf` is given) from this site's origin. */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<request.Response> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    return this.keep(
      await request(this.app)
        .post(path)
        .set('Cookie', this.cookieHeader())
        .set('Origin', this.origin)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set(headers)
        .send(body)
        .redirects(0),
    );
  }

  /** A multipart form post (a form with a file), with the page's CSRF token. */
  async postMultipart(path: string, fields: Record<string, string>, files: Record<string, { data: Buffer; filename: string; contentType: string }> = {}): Promise<request.Response> {
    let r = request(this.app).post(path).set('Cookie', this.cookieHeader()).set('Origin', this.origin).redirects(0);
    for (const [name, value] of Object.entries({ _csrf: this.csrf, ...fields })) r = r.field(name, value);
    for (const [name, file] of Object.entries(files)) r = r.attach(name, file.data, { filename: file.filename, contentType: file.contentType });
    return this.keep(await r);
  }

  async signIn(email: string, password: string): Promise<request.Response> {
    await this.get('/console/sign-in');
    return this.post('/console/sign-in', { email, password });
  }
}
