import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type NodemailerError, type SendMailOptions } from 'nodemailer';
import type { Logger } from '../logger.js';
import { emailAddress, type MailConfig } from './config.js';

/**
 * Sending one message: over SMTP (a pool of connections) when SMTP_URL is set, otherwise, in
 * development, as an `.eml` file in MAIL_DIR. Retries belong to the outbox above this module; a
 * failed send rejects with a `MailSendError` that says whether trying again can help.
 *
 * Learners' e-mail addresses never reach a log: lines carry the Message-ID, and the SMTP server's
 * reply is kept only with any address in it blanked out.
 */

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail {
  to: string | { name?: string; address: string };
  subject: string;
  text: string;
  html: string;
  attachments?: readonly MailAttachment[];
  replyTo?: string;
  /** e.g. `<outbox-42@badges.example.org>`: the outbox's own, so a retried message keeps its Message-ID. */
  messageId?: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  send(message: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export interface MailTransportOptions {
  /** The message's Date header. */
  now?: () => Date;
  /** SMTP waits in milliseconds; defaults in `SMTP_TIMEOUTS`. */
  timeouts?: Partial<typeof SMTP_TIMEOUTS>;
}

/** Short enough that a dead server frees the outbox's worker soon; long enough for a slow but working one. */
export const SMTP_TIMEOUTS = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 60_000, dnsMs: 10_000 };

export const MAIL_FAILURE_CODES = [
  /** The address is not one, or the server refused the recipient for good (5xx to RCPT TO). */
  'invalid_recipient',
  /** The server refused the message for good (5xx). */
  'rejected',
  /** The server refused for now (4xx, or 503 out of sequence): the same message may go through later. */
  'deferred',
  'connection_failed',
  'timeout',
  /** The SMTP credentials were refused or missing: the configuration is at fault, not the message. */
  'authentication_failed',
  'send_failed',
] as const;
export type MailFailureCode = (typeof MAIL_FAILURE_CODES)[number];

export interface MailFailure {
  /** False only when sending the same message again would fail the same way. */
  retryable: boolean;
  /** The SMTP reply code (RFC 5321 §4.2), when the server answered. */
  responseCode?: number | undefined;
  /** The server's reply, any address in it replaced by `[address]`. */
  response?: string | undefined;
  /** Nodemailer's error code (`EENVELOPE`, `ETIMEDOUT`, ...) or the socket's (`ECONNREFUSED`). */
  transportCode?: string | undefined;
}

export class MailSendError extends Error {
  override name = 'MailSendError';
  readonly retryable: boolean;
  readonly responseCode: number | undefined;
  readonly response: string | undefined;
  readonly transportCode: string | undefined;

  constructor(
    readonly code: MailFailureCode,
    message: string,
    failure: MailFailure,
  ) {
    super(message);
    this.retryable = failure.retryable;
    this.responseCode = failure.responseCode;
    this.response = failure.response;
    this.transportCode = failure.transportCode;
  }
}

const ADDRESS = /[^\s<>()[\],;:"'`]+@[^\s<>()[\],;:"'`]+/g;
export const redactAddresses = (text: string): string => text.replace(ADDRESS, '[address]');

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Reads a failed send as the outbox needs it. RFC 5321 §4.2.1: a 5yz reply is a permanent negative
 * completion, a 4yz a transient one; nodemailer sets `permanent` from that (503, a bad sequence of
 * commands, counts as transient). Errors without a reply (refused connection, timeout, DNS) are
 * transient. The message never repeats nodemailer's, which can quote the recipient's address.
 */
export function classifySendError(error: unknown): MailSendError {
  if (error instanceof MailSendError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const detail = e.originalCode ?? code;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const response = typeof e.response === 'string' ? redactAddresses(e.response.trim()) : undefined;
  const fail = (failure: MailFailureCode, message: string, retryable: boolean) =>
    new MailSendError(failure, message, { retryable, responseCode, response, transportCode: detail });

  if (code === 'EAUTH' || code === 'ENOAUTH') {
    return fail('authentication_failed', `the SMTP server did not accept the credentials${response ? ` (${response})` : ''}`, true);
  }
  if (responseCode !== undefined) {
    const permanent = typeof e.permanent === 'boolean' ? e.permanent : responseCode >= 500 && responseCode < 600 && responseCode !== 503;
    const atRecipient = code === 'EENVELOPE' && /^RCPT/i.test(e.command ?? '');
    const reply = response ?? String(responseCode);
    if (!permanent) return fail('deferred', `the SMTP server refused for now: ${reply}`, true);
    return atRecipient
      ? fail('invalid_recipient', `the SMTP server refused the recipient: ${reply}`, false)
      : fail('rejected', `the SMTP server refused the message: ${reply}`, false);
  }
  if (code === 'ETIMEDOUT' || e.originalCode === 'ETIMEDOUT') {
    return fail('timeout', `the SMTP server did not answer in time${e.command === 'CONN' ? ' (connecting)' : ''}`, true);
  }
  if ((code && CONNECTION_CODES.has(code)) || (e.originalCode && CONNECTION_CODES.has(e.originalCode))) {
    return fail('connection_failed', `could not talk to the SMTP server (${detail})`, true);
  }
  if (code === 'EENVELOPE') return fail('invalid_recipient', 'the message has no valid recipient', false);
  return fail('send_failed', `sending failed${detail ? ` (${detail})` : ''}`, true);
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

function recipientAddress(to: OutgoingMail['to']): string {
  const address = typeof to === 'string' ? to : to.address;
  if (!emailAddress.safeParse(address).success) {
    throw new MailSendError('invalid_recipient', 'the recipient is not an e-mail address', { retryable: false });
  }
  return address;
}

export function createMailTransport(config: MailConfig, logger: Logger, options: MailTransportOptions = {}): MailTransport {
  const now = options.now ?? (() => new Date());
  const mailOptions = (message: OutgoingMail): SendMailOptions => {
    const address = recipientAddress(message.to);
    return {
      from: config.from,
      to: typeof message.to === 'string' || !message.to.name ? address : { name: message.to.name, address },
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      ...(message.messageId ? { messageId: message.messageId } : {}),
      date: now(),
    };
  };
  // Content comes only as strings and Buffers: a message can never make the mailer read a file or a URL.
  const sandbox = { disableFileAccess: true, disableUrlAccess: true, logger: false, debug: false } as const;

  if (config.smtp) {
    const { host, port, secure, auth } = config.smtp;
    const timeouts = { ...SMTP_TIMEOUTS, ...options.timeouts };
    const transporter = nodemailer.createTransport({
      // A few connections are plenty for the volumes of training providers, and stay under the
      // per-client limits that mail providers set.
      pool: true,
      maxConnections: 3,
      host,
      port,
      secure,
      ...(auth ? { auth: { user: auth.user, pass: auth.pass } } : {}),
      // A password never crosses the network in clear: STARTTLS is required unless the server is this machine.
      requireTLS: !secure && auth !== undefined && !isLoopback(host),
      connectionTimeout: timeouts.connectionMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
      dnsTimeout: timeouts.dnsMs,
      ...sandbox,
    });
    return {
      kind: 'smtp',
      async send(message) {
        const info = await transporter.sendMail(mailOptions(message)).catch((error: unknown) => {
          throw classifySendError(error);
        });
        logger.info({ messageId: info.messageId }, 'mail sent');
        return { messageId: info.messageId };
      },
      async close() {
        transporter.close();
      },
    };
  }

  // RFC 5322 §2.1: lines end in CRLF, which is what mail programs expect of an .eml file.
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...sandbox });
  return {
    kind: 'file',
    async send(message) {
      try {
        const info = await transporter.sendMail(mailOptions(message));
        if (!Buffer.isBuffer(info.message)) throw new Error('the stream transport did not return a buffer');
        const id = info.messageId.replace(/^<|@.*$|>$/g, '').replace(/[^A-Za-z0-9-]/g, '_').slice(0, 64);
        const path = join(config.dir, `${now().toISOString().replace(/[:.]/g, '-')}-${id}.eml`);
        await mkdir(config.dir, { recursive: true, mode: 0o700 });
        // Written aside and renamed, so a mail viewer watching the folder never opens half a message.
        const partial = `${path}.${randomUUID()}.partial`;
        await writeFile(partial, info.message, { mode: 0o600 });
        await rename(partial, path);
        logger.info({ messageId: info.messageId, path }, 'mail written to file');
        return { messageId: info.messageId };
      } catch (error) {
        throw classifySendError(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
