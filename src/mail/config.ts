import { resolve } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';

/**
 * Mail settings from the environment. `mailEnvShape` is a fragment of the service's env schema
 * (src/config/config.ts spreads it into its own object); `toMailConfig` turns the parsed values
 * into `MailConfig`; `loadMailConfig` does both on its own, for tools and tests.
 */

/** The address rule browsers apply to `type=email` (WHATWG HTML): it accepts `no-reply@localhost`. */
export const emailAddress = z.email({ pattern: z.regexes.html5Email });

export interface MailAddress {
  name: string;
  address: string;
}

export interface SmtpServer {
  host: string;
  port: number;
  /** `smtps://`: TLS from the first byte (port 465 by default); `smtp://` upgrades with STARTTLS when offered. */
  secure: boolean;
  /** From the URL's user information; never logged. */
  auth?: { user: string; pass: string };
}

export interface MailConfig {
  /** Unset: development mode, each message is written to `dir` as an `.eml` file. */
  smtp?: SmtpServer;
  from: MailAddress;
  /** Absolute path of the folder for `.eml` files. */
  dir: string;
}

const smtpUrl = z
  .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. "smtps://user:password@mail.example.org"' })
  .pipe(z.string())
  .refine((value) => {
    const url = new URL(value);
    return !url.search && !url.hash && (url.pathname === '' || url.pathname === '/');
  }, 'must not have a path, query or fragment')
  .transform((value): SmtpServer => {
    const url = new URL(value);
    const secure = url.protocol === 'smtps:';
    return {
      // WHATWG URL keeps the brackets of an IPv6 literal; sockets want the bare address.
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    };
  });

const mailFrom = z
  .string()
  .trim()
  .transform((value, ctx): MailAddress => {
    const parsed = addressparser(value, { flatten: true });
    const first = parsed[0];
    if (parsed.length !== 1 || !first || !emailAddress.safeParse(first.address).success) {
      ctx.addIssue({ code: 'custom', message: 'must be one e-mail address, optionally with a name: "Care Skills Badges <no-reply@example.org>"' });
      return z.NEVER;
    }
    return { name: first.name, address: first.address };
  });

export const mailEnvShape = {
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailFrom.default({ name: 'Care Skills Badges', address: 'no-reply@localhost' }),
  MAIL_DIR: z.string().min(1).default('./data/mail'),
};

const mailEnvSchema = z.object(mailEnvShape);
export type MailEnv = z.infer<typeof mailEnvSchema>;

export function toMailConfig(env: MailEnv): MailConfig {
  return { ...(env.SMTP_URL ? { smtp: env.SMTP_URL } : {}), from: env.MAIL_FROM, dir: resolve(env.MAIL_DIR) };
}

/**
 * The service refuses to start in production without SMTP_URL: without it, every learner's message
 * would be written to MAIL_DIR, counted as sent, and reach nobody. Tools (the CLI) send nothing and
 * need no SMTP server.
 */
export function requireSmtpInProduction(env: string, mail: MailConfig): void {
  if (env === 'production' && !mail.smtp) {
    throw new ConfigError('configuration variable SMTP_URL is required in production: learners are e-mailed their badges through it (without it, messages would only be written to MAIL_DIR as files)');
  }
}

export function loadMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  // Empty variables count as unset, as in src/config/config.ts.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = mailEnvSchema.safeParse(present);
  if (!parsed.success) {
    // The message names the variable but never repeats its value: SMTP_URL may hold a password.
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`configuration variable ${String(issue.path[0])} is invalid: ${issue.message}`);
  }
  return toMailConfig(parsed.data);
}
