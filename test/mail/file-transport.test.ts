import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { createLogger } from '../../src/logger.js';
import { composeAward, composePasswordReset } from '../../src/mail/compose.js';
import { loadMailConfig } from '../../src/mail/config.js';
import { createMailTransport, MailSendError } from '../../src/mail/transport.js';
import { testBadgePng } from './badge-png.js';

const NOW = new Date('2027-03-14T09:00:00.000Z');
const PNG = testBadgePng(11);
const LEARNER = 'maria.rossi@example.org';

let dir: string;
let logs: string[];

const fileTransport = () => {
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  return createMailTransport(loadMailConfig({ MAIL_DIR: dir }), logger, { now: () => NOW });
};

const award = () =>
  composeAward({
    language: 'en',
    organisation: { name: 'Sunrise Home Care', email: 'training@sunrise.example.org' },
    badgeName: 'Safe moving and handling',
    learnerName: 'Maria Rossi',
    credentialUrl: 'https://badges.example.org/credentials/6f1c2d3e-0000-4000-8000-000000000001',
    badgePng: PNG,
  });

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'badges-mail-')), 'mail');
  logs = [];
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('the development transport (no SMTP_URL)', () => {
  it('writes each message as an .eml file that a mail parser reads back whole', async () => {
    const transport = fileTransport();
    expect(transport.kind).toBe('file');
    const { messageId } = await transport.send({ to: { name: 'Maria Rossi', address: LEARNER }, ...award() });
    await transport.close();

    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^2027-03-14T09-00-00-000Z-[A-Za-z0-9_-]+\.eml$/);
    const raw = await readFile(join(dir, files[0]!));
    // RFC 5322 §2.1: every line ends in CRLF.
    expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/);
    expect((await stat(join(dir, files[0]!))).mode & 0o777).toBe(0o600);

    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.subject).toBe('Your badge from Sunrise Home Care: Safe moving and handling');
    expect(parsed.date).toEqual(NOW);
    expect((parsed.to as AddressObject).value).toEqual([{ name: 'Maria Rossi', address: LEARNER }]);
    expect((parsed.from as AddressObject).value).toEqual([{ name: 'Care Skills Badges', address: 'no-reply@localhost' }]);
    expect(parsed.text).toContain('Hello Maria Rossi,');
    expect(parsed.html).toContain('<a href="https://badges.example.org/credentials/6f1c2d3e-0000-4000-8000-000000000001"');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['badge.png', 'image/png']]);
    expect(parsed.attachments[0]!.content.equals(PNG)).toBe(true);
  });

  it("logs each file's path once with the Message-ID, and never the recipient's address", async () => {
    const transport = fileTransport();
    const first = await transport.send({ to: { name: 'Maria Rossi', address: LEARNER }, ...award() });
    const second = await transport.send({
      to: LEARNER,
      ...composePasswordReset({ language: 'en', link: 'https://badges.example.org/console/reset?token=abc', expiresAt: NOW }),
    });

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    const entries = logs.map((line) => JSON.parse(line) as { msg: string; messageId: string; path: string });
    expect(entries.map((e) => e.msg)).toEqual(['mail written to file', 'mail written to file']);
    expect(entries.map((e) => e.messageId)).toEqual([first.messageId, second.messageId]);
    expect(entries.map((e) => e.path).sort()).toEqual(files.map((f) => join(dir, f)));
    expect(logs.join('')).not.toContain('maria.rossi');
    expect(logs.join('')).not.toContain('example.org>');
  });

  it('refuses a recipient that is not an address and writes nothing', async () => {
    const error = await fileTransport()
      .send({ to: 'maria.rossi(at)example.org', ...award() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailSendError);
    expect(error).toMatchObject({ code: 'invalid_recipient', retryable: false });
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
