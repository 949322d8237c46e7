import { startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/** Invitations: a one-time link that lets a new person set a password and join with a role. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('an invitation', () => {
  it('lets a new person choose a password and join with the role given, once', async () => {
    const { link } = await t.ctx.accounts.invite({ orgId: t.ctx.instance.id, email: 'New.Issuer@Example.org', role: 'issuer', by: 'cli' });
    const path = new URL(link).pathname;
    const b = new ConsoleBrowser(t.app);
    const page = await b.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('You are invited to Test Care Academy as Issuer.');
    expect(page.text).toContain('new.issuer@example.org');

    const weak = await b.post(path, { name: 'Ilaria', password: 'new.issuer@example.org' });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('The password must not be your e-mail address.');
    expect(weak.text).toContain('aria-invalid="true"');

    const joined = await b.post(path, { name: 'Ilaria Issuer', password: 'una frase che ricordo bene' });
    expect(joined.status).toBe(303);
    expect(joined.headers.location).toBe('/console');
    const home = await b.get('/console');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Ilaria Issuer');
    const member = (await t.ctx.accounts.members(t.ctx.instance.id)).find((m) => m.email === 'new.issuer@example.org');
    expect(member).toMatchObject({ role: 'issuer', name: 'Ilaria Issuer' });

    const reused = await new ConsoleBrowser(t.app).get(path);
    expect(reused.status).toBe(410);
    expect(reused.text).toContain('This link has expired or was already used.');
  });

  it('expires after seven days', async () => {
    let clock = Date.parse('2026-12-06T10:00:00Z');
    const timed = await startTestApp({}, { now: () => new Date(clock) });
    try {
      const { link } = await timed.ctx.accounts.invite({ orgId: timed.ctx.instance.id, email: 'late@example.org', role: 'viewer', by: 'cli' });
      clock += 7 * 24 * 3600_000 + 1000;
      expect((await new ConsoleBrowser(timed.app).get(new URL(link).pathname)).status).toBe(410);
    } finally {
      await timed.close();
    }
  });

  it('adds someone who already has an account to another organisation when they give their password', async () => {
    await t.ctx.accounts.createUser({ email: 'both@example.org', password: 'la mia password di sempre', name: 'Bea', orgId: t.ctx.instance.id, role: 'viewer' });
    const second = await t.ctx.organisations.create({ name: 'Second Provider' });
    const { link } = await t.ctx.accounts.invite({ orgId: second.id, email: 'both@example.org', role: 'owner', by: 'cli' });
    const path = new URL(link).pathname;
    const b = new ConsoleBrowser(t.app);
    await b.get(path);
    const wrong = await b.post(path, { name: 'Bea', password: 'not my password at all' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('already has an account');
    expect((await b.post(path, { name: 'Bea', password: 'la mia password di sempre' })).status).toBe(303);
    const home = await b.get('/console');
    // Two organisations: the switcher appears, and switching changes where the person works.
    expect(home.text).toContain('name="orgId"');
    expect((await b.post('/console/organisation', { orgId: second.id })).status).toBe(303);
    expect((await b.get('/console')).text).toContain('Second Provider · Owner');
  });

  it('gives the first owner of an organisation with nobody in it a link that asks for their address', async () => {
    const { link } = await t.ctx.accounts.firstOwnerLink(t.ctx.instance.id);
    const path = new URL(link).pathname;
    const b = new ConsoleBrowser(t.app);
    const page = await b.get(path);
    expect(page.text).toContain('name="email"');
    expect((await b.post(path, { email: 'first.owner@example.org', name: 'Franca', password: 'prima proprietaria del sito' })).status).toBe(303);
    expect((await t.ctx.accounts.members(t.ctx.instance.id)).find((m) => m.email === 'first.owner@example.org')?.role).toBe('owner');
  });
});
