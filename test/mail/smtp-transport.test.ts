import { createServer, type Server } from 'node:net';
import type { AddressObject } from 'mailparser';
import { createLogger } from '../../src/logger.js';
import { composeAward } from '../../src/mail/compose.js';
import { loadMailConfig } from '../../src/mail/config.js';
import { createMailTransport, MailSendError, type MailTransport, type MailTransportOptions } from '../../src/mail/transport.js';
import { freePort } from '../helpers/net.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { testBadgePng } from './badge-png.js';

const NOW = new Date('2027-03-14T09:00:00.000Z');
const PNG = testBadgePng();
const LEARNER = 'giulia.bianchi@example.org';
const CREDENTIAL_URL = 'https://badges.example.org/credentials/6f1c2d3e-0000-4000-8000-000000000001';

let logs: string[];
let server: TestSmtpServer | undefined;
let transport: MailTransport | undefined;

const connect = (url: string, options: MailTransportOptions = {}): MailTransport => {
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  transport = createMailTransport(loadMailConfig({ SMTP_URL: url, MAIL_FROM: 'Care Skills Badges <badges@example.org>' }), logger, { now: () => NOW, ...options });
  return transport;
};

const italianAward = (learnerName = 'Giulia Bianchi') =>
  composeAward({
    language: 'it',
    organisation: { name: 'Cooperativa Sociale Il Girasole', email: 'formazione@girasole.example.org' },
    badgeName: 'Movimentazione sicura della persona assistita',
    learnerName,
    credentialUrl: CREDENTIAL_URL,
    badgePng: PNG,
  });

/** The error a send rejected with, so each of its fields can be checked. */
const failure = async (sending: Promise<unknown>): Promise<MailSendError> => {
  const error = await sending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailSendError);
  return error as MailSendError;
};

const firstAddress = (field: AddressObject | AddressObject[] | undefined) => (Array.isArray(field) ? field[0] : field)?.value[0];

beforeEach(() => {
  logs = [];
});

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

describe('sending through SMTP', () => {
  it('delivers an Italian award with its subject, link, badge.png and both parts', async () => {
    server = await startSmtpServer();
    const { messageId } = await connect(server.url).send({ to: { name: 'Giulia Bianchi', address: LEARNER }, ...italianAward() });

    const [mail] = await server.waitFor(1);
    expect(mail!.envelope).toEqual({ from: 'badges@example.org', to: [LEARNER] });
    const parsed = mail!.parsed;
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.subject).toBe('Il tuo badge da Cooperativa Sociale Il Girasole: Movimentazione sicura della persona assistita');
    expect(parsed.date).toEqual(NOW);
    expect(firstAddress(parsed.from)).toEqual({ name: 'Care Skills Badges', address: 'badges@example.org' });
    expect(firstAddress(parsed.to)).toEqual({ name: 'Giulia Bianchi', address: LEARNER });
    expect(firstAddress(parsed.replyTo)?.address).toBe('formazione@girasole.example.org');
    expect(parsed.text).toContain(`Apri il tuo badge: Movimentazione sicura della persona assistita\n${CREDENTIAL_URL}\n`);
    expect(parsed.text).toContain('Ciao Giulia Bianchi,');
    expect(parsed.html).toContain('<html lang="it" dir="ltr">');
    expect(parsed.html).toContain(`<a href="${CREDENTIAL_URL}"`);
    expect(parsed.html).toContain('<h2 style="font-size:20px;line-height:1.3;margin:28px 0 8px;">Che cos&#39;è un Open Badge?</h2>');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]!.filename).toBe('badge.png');
    expect(parsed.attachments[0]!.contentType).toBe('image/png');
    expect(parsed.attachments[0]!.content.equals(PNG)).toBe(true);
  });

  it('delivers a Lithuanian award with its letters intact', async () => {
    server = await startSmtpServer();
    const mail = composeAward({
      language: 'lt',
      organisation: { name: 'Globos namai „Šviesa“' },
      badgeName: 'Saugus žmogaus perkėlimas',
      learnerName: 'Rūta Žemaitė',
      credentialUrl: CREDENTIAL_URL,
      badgePng: PNG,
    });
    await connect(server.url).send({ to: 'ruta.zemaite@example.org', ...mail });

    const [received] = await server.waitFor(1);
    const parsed = received!.parsed;
    expect(parsed.subject).toBe('Globos namai „Šviesa“ suteikė jums ženkliuką: Saugus žmogaus perkėlimas');
    expect(parsed.text).toContain('Suteikta: Rūta Žemaitė');
    expect(parsed.text).toContain(`Atidaryti ženkliuką: Saugus žmogaus perkėlimas\n${CREDENTIAL_URL}\n`);
    expect(parsed.text).toContain('Turite klausimų? Kreipkitės: Globos namai „Šviesa“.');
    expect(parsed.html).toContain('<html lang="lt" dir="ltr">');
    expect(parsed.html).toContain('Kas yra „Open Badge“?');
    expect(parsed.html).toContain(`<a href="${CREDENTIAL_URL}"`);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['badge.png']);
    expect(parsed.attachments[0]!.content.equals(PNG)).toBe(true);
  });

  it('delivers a learner name with <script> escaped in the HTML part', async () => {
    server = await startSmtpServer();
    await connect(server.url).send({ to: LEARNER, ...italianAward('<script>alert(1)</script>') });
    const [received] = await server.waitFor(1);
    expect(received!.parsed.html).not.toContain('<script>');
    expect(received!.parsed.html).toContain('Ciao &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(received!.parsed.text).toContain('Ciao <script>alert(1)</script>,');
  });

  it('logs the Message-ID of a sent message, never the address', async () => {
    server = await startSmtpServer();
    const { messageId } = await connect(server.url).send({ to: LEARNER, ...italianAward() });
    await server.waitFor(1);
    expect(logs.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([expect.objectContaining({ msg: 'mail sent', messageId })]);
    expect(logs.join('')).not.toContain('giulia.bianchi');
  });

  it('authenticates with the user and password of SMTP_URL', async () => {
    server = await startSmtpServer({ auth: { user: 'badges@example.org', pass: 'p@ss word' } });
    expect(server.url).toContain('badges%40example.org:p%40ss%20word@');
    await connect(server.url).send({ to: LEARNER, ...italianAward() });
    expect(await server.waitFor(1)).toHaveLength(1);
  });
});

describe('classifying a failed send for the outbox', () => {
  it('reads a 4xx reply as temporary: retryable, with the reply code, and the next attempt goes through', async () => {
    server = await startSmtpServer({ reject: { count: 1, code: 451, message: 'Local problem, try again later' } });
    const mail = connect(server.url);
    const error = await failure(mail.send({ to: LEARNER, ...italianAward() }));
    expect(error.code).toBe('deferred');
    expect(error.retryable).toBe(true);
    expect(error.responseCode).toBe(451);
    expect(error.response).toBe('451 Local problem, try again later');
    expect(server.messages).toHaveLength(0);

    await mail.send({ to: LEARNER, ...italianAward() });
    expect(await server.waitFor(1)).toHaveLength(1);
  });

  it('reads a 5xx reply to the message as permanent', async () => {
    server = await startSmtpServer({ reject: { count: 1, code: 554, message: 'Message refused by policy' } });
    const error = await failure(connect(server.url).send({ to: LEARNER, ...italianAward() }));
    expect(error.code).toBe('rejected');
    expect(error.retryable).toBe(false);
    expect(error.responseCode).toBe(554);
    expect(server.rejectedCount()).toBe(1);
  });

  it('reads a 5xx reply to the recipient as an invalid recipient, and keeps its address out of the error', async () => {
    server = await startSmtpServer();
    server.rejectNext(1, { at: 'rcpt', code: 550, message: `5.1.1 <${LEARNER}>: user unknown` });
    const error = await failure(connect(server.url).send({ to: LEARNER, ...italianAward() }));
    expect(error.code).toBe('invalid_recipient');
    expect(error.retryable).toBe(false);
    expect(error.responseCode).toBe(550);
    expect(error.response).toBe('550 5.1.1 <[address]>: user unknown');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('giulia.bianchi');
  });

  it('reads a 4xx reply to the recipient as temporary', async () => {
    server = await startSmtpServer({ reject: { count: 1, at: 'rcpt', code: 450, message: 'Mailbox busy' } });
    const error = await failure(connect(server.url).send({ to: LEARNER, ...italianAward() }));
    expect(error).toMatchObject({ code: 'deferred', retryable: true, responseCode: 450 });
  });

  it('reads a refused connection as temporary', async () => {
    const port = await freePort();
    const error = await failure(connect(`smtp://127.0.0.1:${port}`).send({ to: LEARNER, ...italianAward() }));
    expect(error.code).toBe('connection_failed');
    expect(error.retryable).toBe(true);
    expect(error.responseCode).toBeUndefined();
    expect(error.transportCode).toBe('ECONNREFUSED');
  });

  it('reads a server that never greets as a timeout, temporary', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const error = await failure(connect(`smtp://127.0.0.1:${port}`, { timeouts: { connectionMs: 300, greetingMs: 300 } }).send({ to: LEARNER, ...italianAward() }));
      expect(error).toMatchObject({ code: 'timeout', retryable: true, transportCode: 'ETIMEDOUT' });
    } finally {
      silent.close();
    }
  });

  it('reads refused credentials as a configuration fault, retryable once fixed', async () => {
    server = await startSmtpServer({ auth: { user: 'badges', pass: 'right' } });
    const error = await failure(connect(server.url.replace('right', 'wrong')).send({ to: LEARNER, ...italianAward() }));
    expect(error).toMatchObject({ code: 'authentication_failed', retryable: true, responseCode: 535 });
  });

  it('refuses a recipient that is not an address before connecting, as permanent', async () => {
    server = await startSmtpServer();
    const error = await failure(connect(server.url).send({ to: 'giulia.bianchi at example.org', ...italianAward() }));
    expect(error).toMatchObject({ code: 'invalid_recipient', retryable: false, responseCode: undefined });
    await expect(server.waitFor(1, 300)).rejects.toThrow('expected 1 message(s) within 300 ms, got 0');
  });
});
