import { startTestApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * The console's e-mail, through the outbox to a real SMTP server: an owner invites a colleague, who
 * follows the link that arrives and joins; a forgotten password is reset from the link that arrives.
 */
let t: TestApp;
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Care Skills Badges <badges@example.org>' }, { sendMail: true, mail: { pollMs: 20 } });
  await t.ctx.accounts.createUser({ email: 'owner@example.org', password: 'una password da ricordare', name: 'Olga Owner', orgId: t.ctx.instance.id, role: 'owner' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const linkIn = (text: string): string => {
  const link = /https:\/\/badges\.example\.org\/console\/(?:invitations|reset)\/[\w-]{43}/.exec(text)?.[0];
  if (!link) throw new Error(`no one-time link in:\n${text}`);
  return new URL(link).pathname;
};

it('sends the invitation made in the console, in the inviter’s language, and its link lets the colleague join', async () => {
  const owner = new ConsoleBrowser(t.app);
  await owner.signIn('owner@example.org', 'una password da ricordare');
  await owner.get('/console/people?lang=it');
  const invited = await owner.post('/console/people/invite', { email: 'Nuova.Emittente@Example.org', role: 'issuer' });
  expect(invited.status).toBe(200);

  const [mail] = await smtp.waitFor(1, 10_000);
  expect(mail!.envelope.to).toEqual(['nuova.emittente@example.org']);
  expect(mail!.parsed.subject).toMatch(/Test Care Academy/);
  expect(mail!.parsed.text).toContain('Emittente');
  const path = linkIn(mail!.parsed.text ?? '');

  const colleague = new ConsoleBrowser(t.app);
  expect((await colleague.get(path)).status).toBe(200);
  expect((await colleague.post(path, { name: 'Nina', password: 'la mia nuova password' })).status).toBe(303);
  expect((await t.ctx.accounts.members(t.ctx.instance.id)).find((m) => m.email === 'nuova.emittente@example.org')?.role).toBe('issuer');
});

it('sends a password-reset link that sets a new password', async () => {
  const before = smtp.messages.length;
  const b = new ConsoleBrowser(t.app);
  await b.get('/console/reset');
  await b.post('/console/reset', { email: 'owner@example.org' });
  const mails = await smtp.waitFor(before + 1, 10_000);
  const mail = mails[before]!;
  expect(mail.envelope.to).toEqual(['owner@example.org']);
  const path = linkIn(mail.parsed.text ?? '');
  expect((await b.get(path)).status).toBe(200);
  expect((await b.post(path, { password: 'una password tutta nuova' })).status).toBe(200);
  expect((await new ConsoleBrowser(t.app).signIn('owner@example.org', 'una password tutta nuova')).status).toBe(303);
});
