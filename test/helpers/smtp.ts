import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 for tests: every message that arrives is parsed with mailparser
 * and kept. It can refuse the next messages with a chosen reply, at RCPT TO or at the end of DATA.
 * Plain text only (no STARTTLS); with `auth`, it asks for that user and password.
 */

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The message as it arrived, byte for byte. */
  raw: Buffer;
  parsed: ParsedMail;
}

export interface Rejection {
  /** An SMTP reply code: 4xx for "try again later", 5xx for "never". */
  code: number;
  message?: string;
  /** When to refuse: at the recipient (RCPT TO) or after the message was sent (end of DATA). Default `data`. */
  at?: 'rcpt' | 'data';
}

export interface SmtpServerOptions {
  auth?: { user: string; pass: string };
  /** Refuse the first `count` messages from the start. */
  reject?: Rejection & { count: number };
}

export interface TestSmtpServer {
  host: string;
  port: number;
  /** `smtp://user:pass@127.0.0.1:port` (with the credentials when the server asks for them). */
  url: string;
  /** The accepted messages, in order of arrival. */
  messages: ReceivedMail[];
  /** How many messages were refused so far. */
  rejectedCount(): number;
  /** Resolves once `count` messages were accepted; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Refuse the next `count` messages with this reply. */
  rejectNext(count: number, rejection: Rejection): void;
  close(): Promise<void>;
}

const smtpError = (rejection: Rejection): Error =>
  Object.assign(new Error(rejection.message ?? (rejection.code >= 500 ? 'Message refused' : 'Try again later')), { responseCode: rejection.code });

const readAll = async (stream: SMTPServerDataStream): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let pending: { count: number; rejection: Rejection } | undefined = options.reject ? { count: options.reject.count, rejection: options.reject } : undefined;
  let rejected = 0;

  /** Takes one refusal for this stage, if one is due. */
  const takeRejection = (stage: 'rcpt' | 'data'): Rejection | undefined => {
    if (!pending || pending.count <= 0 || (pending.rejection.at ?? 'data') !== stage) return undefined;
    pending.count -= 1;
    rejected += 1;
    return pending.rejection;
  };

  const server = new SMTPServer({
    logger: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    hideSTARTTLS: true,
    authOptional: !options.auth,
    allowInsecureAuth: true,
    // Tests close the server right after their transport: do not wait 30 s for stray connections.
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const rejection = takeRejection('rcpt');
      callback(rejection ? smtpError(rejection) : null);
    },
    onData(stream, session, callback) {
      void (async () => {
        const raw = await readAll(stream);
        const rejection = takeRejection('data');
        if (rejection) return callback(smtpError(rejection));
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        messages.push({ envelope, raw, parsed: await simpleParser(raw) });
        for (const wake of waiters) wake();
        callback(null);
      })().catch((error: unknown) => callback(error as Error));
    },
  });

  const host = '127.0.0.1';
  // Port 0: the system picks a free one, with no window for another process to take it.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';

  return {
    host,
    port,
    url: `smtp://${credentials}${host}:${port}`,
    messages,
    rejectedCount: () => rejected,
    rejectNext(count, rejection) {
      pending = { count, rejection };
    },
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
