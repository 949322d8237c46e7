import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { hashToken } from '../../src/accounts/accounts.js';
import { rawQuery, startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * Signing in to the console: argon2id passwords, a Secure HttpOnly session cookie of which only a hash
 * is stored, CSRF-protected forms, roles, invitations and password resets, organisations kept apart.
 */
let t: TestApp;
const OWNER = { email: 'owner@casa.example.org', password: 'una password lunga e sicura' };
beforeAll(async () => {
  t = await startTestApp();
  await t.ctx.accounts.createUser({ ...OWNER, name: 'Anna Owner', orgId: t.ctx.instance.id, role: 'owner' });
});
afterAll(() => t.close());

describe('signing in', () => {
  it('sends someone not signed in to the sign-in page, and back where they were going afterwards', async () => {
    const b = new ConsoleBrowser(t.app);
    const first = await b.get('/console/people');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Fpeople');
    await b.get(first.headers.location!);
    const signedIn = await b.post('/console/sign-in', { ...OWNER, next: '/console/people' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/console/people');
    const page = await b.get('/console/people');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Anna Owner');
  });

  it('sets a Secure, HttpOnly, SameSite=Lax __Host- cookie and stores only a hash of its token', async () => {
    const b = new ConsoleBrowser(t.app);
    const res = await b.signIn(OWNER.email, OWNER.password);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).toMatch(/^__Host-console=[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const token = b.cookies.get('__Host-console')!;
    const rows = await rawQuery(t, 'select id from sessions');
    expect(rows.map((r) => r.id)).toContain(hashToken(token));
    expect(rows.map((r) => r.id)).not.toContain(token);
  });

  it('refuses a wrong password or an unknown address with the same message', async () => {
    const b = new ConsoleBrowser(t.app);
    const wrong = await b.signIn(OWNER.email, 'not the password at all');
    const unknown = await b.signIn('nobody@example.org', OWNER.password);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.text).toContain('The e-mail address or the password is not right.');
    expect(unknown.text).toContain('The e-mail address or the password is not right.');
    expect(b.cookies.size).toBe(0);
  });

  it('stores the password as an argon2id hash', async () => {
    const [row] = await rawQuery(t, `select password_hash from users where email = '${OWNER.email}'`);
    expect(String(row!.password_hash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('signs out: the cookie is cleared and the session no longer opens anything', async () => {
    const b = new ConsoleBrowser(t.app);
    await b.signIn(OWNER.email, OWNER.password);
    const token = b.cookies.get('__Host-console')!;
    await b.get('/console');
    const out = await b.post('/console/sign-out', {});
    expect(out.status).toBe(303);
    expect(b.cookies.has('__Host-console')).toBe(false);
    const again = await request(t.app).get('/console').set('Cookie', `__Host-console=${token}`).redirects(0);
    expect(again.status).toBe(303);
  });
});

describe('forms', () => {
  it('refuses a form without the session’s CSRF token, or sent from another site', async () => {
    const b = new ConsoleBrowser(t.app);
    await b.signIn(OWNER.email, OWNER.password);
    await b.get('/console/api-keys');
    const noToken = await b.post('/console/api-keys', { _csrf: '' });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('This form has expired');
    const otherSite = await b.post('/console/api-keys', {}, { Origin: 'https://evil.example' });
    expect(otherSite.status).toBe(403);
    const crossSite = await b.post('/console/api-keys', {}, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const ok = await b.post('/console/api-keys', {});
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/obk_[\w-]{43}/);
  });
});

describe('roles', () => {
  it('lets a viewer look but not manage people or keys, nor award', async () => {
    await t.ctx.accounts.createUser({ email: 'viewer@casa.example.org', password: 'solo guardare, niente altro', name: 'Vito Viewer', orgId: t.ctx.instance.id, role: 'viewer' });
    const b = new ConsoleBrowser(t.app);
    await b.signIn('viewer@casa.example.org', 'solo guardare, niente altro');
    expect((await b.get('/console')).status).toBe(200);
    expect((await b.get('/console/audit')).status).toBe(200);
    const people = await b.get('/console/people');
    expect(people.status).toBe(403);
    expect(people.text).toContain('Your role does not allow this.');
    expect((await b.get('/console/api-keys')).status).toBe(403);
    // The navigation offers only what the role opens.
    const home = await b.get('/console');
    expect(home.text).not.toContain('href="/console/people"');
  });

  it('keeps an organisation with at least one owner', async () => {
    const b = new ConsoleBrowser(t.app);
    await b.signIn(OWNER.email, OWNER.password);
    await b.get('/console/people');
    const me = (await t.ctx.accounts.members(t.ctx.instance.id)).find((m) => m.email === OWNER.email)!;
    const res = await b.post(`/console/people/${me.userId}/role`, { role: 'viewer' });
    expect(res.status).toBe(422);
    expect((await t.ctx.accounts.members(t.ctx.instance.id)).find((m) => m.userId === me.userId)?.role).toBe('owner');
  });
});

describe('password reset', () => {
  it('sets a new password from a one-time link and ends every session of the account', async () => {
    await t.ctx.accounts.createUser({ email: 'forgetful@casa.example.org', password: 'la prima password lunga', name: 'Fabio', orgId: t.ctx.instance.id, role: 'issuer' });
    const before = new ConsoleBrowser(t.app);
    await before.signIn('forgetful@casa.example.org', 'la prima password lunga');
    expect((await before.get('/console')).status).toBe(200);
    const reset = (await t.ctx.accounts.requestPasswordReset('Forgetful@Casa.example.org'))!;
    const path = new URL(reset.link).pathname;
    const b = new ConsoleBrowser(t.app);
    expect((await b.get(path)).status).toBe(200);
    const short = await b.post(path, { password: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('at least 10 characters');
    const saved = await b.post(path, { password: 'la seconda password lunga' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Your password is saved');
    expect((await before.get('/console')).status).toBe(303);
    expect((await b.post(path, { password: 'una terza password lunga' })).status).toBe(422);
    expect((await new ConsoleBrowser(t.app).signIn('forgetful@casa.example.org', 'la seconda password lunga')).status).toBe(303);
  });

  it('answers the same whether or not the address has an account', async () => {
    const b = new ConsoleBrowser(t.app);
    await b.get('/console/reset');
    const known = await b.post('/console/reset', { email: OWNER.email });
    const unknown = await b.post('/console/reset', { email: 'nobody@example.org' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(unknown.text.replace(/value="[^"]*"/g, '')).toBe(known.text.replace(/value="[^"]*"/g, ''));
  });
});

describe('organisations kept apart', () => {
  it('neither switches to nor touches the keys of an organisation the person is not in', async () => {
    const other = await addProvider(t.ctx, 'Altra Organizzazione', ['*']);
    const otherKey = (await t.ctx.apiKeys.keysOf(other.org.id))[0]!;
    const b = new ConsoleBrowser(t.app);
    await b.signIn(OWNER.email, OWNER.password);
    await b.get('/console/api-keys');
    const keysPage = await b.get('/console/api-keys');
    expect(keysPage.text).not.toContain(otherKey.prefix);
    expect((await b.post(`/console/api-keys/${otherKey.id}/revoke`, {})).status).toBe(404);
    expect((await t.ctx.apiKeys.keysOf(other.org.id))[0]!.revoked).toBe(false);
    expect((await b.post('/console/organisation', { orgId: other.org.id })).status).toBe(404);
  });
});

describe('rate limiting', () => {
  it('refuses sign-in after too many failures, even with the right password, until the window passes', async () => {
    const limited = await startTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_SIGN_IN: '3/900' });
    try {
      await limited.ctx.accounts.createUser({ email: 'target@example.org', password: 'the real password here', name: 'T', orgId: limited.ctx.instance.id, role: 'owner' });
      const b = new ConsoleBrowser(limited.app);
      for (let i = 0; i < 3; i++) expect((await b.signIn('target@example.org', `guess number ${i}`)).status).toBe(401);
      const refused = await b.signIn('target@example.org', 'the real password here');
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.text).toContain('Too many attempts');
    } finally {
      await limited.close();
    }
  });
});
