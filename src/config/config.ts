import { join, resolve } from 'node:path';
import { z } from 'zod';
import { mailEnvShape, toMailConfig, type MailConfig } from '../mail/config.js';
import { ConfigError } from './errors.js';

/**
 * Configuration comes from the environment, is read once at start-up and validated here; a wrong
 * value stops start-up with a message naming the variable. Keys are loaded apart (src/keys).
 */
const optionalText = z.string().trim().min(1).optional();
const url = z.url({ protocol: /^https?$/ });
/** A limit written `points/seconds`, e.g. `30/60`: at most 30 in any 60-second window per client. */
const rateLimit = z
  .string()
  .trim()
  .regex(/^\d{1,9}\/\d{1,9}$/, 'must be "points/seconds", e.g. "30/60"')
  .transform((s) => {
    const [points, durationSeconds] = s.split('/').map(Number);
    return { points: points!, durationSeconds: durationSeconds! };
  })
  .pipe(
    z.object({
      points: z.number().int().min(1, 'points must be at least 1'),
      durationSeconds: z.number().int().min(1, 'seconds must be at least 1').max(86400, 'seconds must be at most 86400 (a day)'),
    }),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: url.optional().transform((u) => u?.replace(/\/+$/, '')),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  KEYS_DIR: z.string().min(1).default('./keys'),
  KEY_ENCRYPTION_KEY: z.string().trim().min(1).optional(),
  KEY_ENCRYPTION_KEY_FILE: z.string().trim().min(1).optional(),
  BADGE_CLASSES_DIR: z.string().min(1).default('./badge-classes'),
  PATHWAYS_DIR: z.string().min(1).default('./pathways'),
  QUESTIONNAIRES_DIR: z.string().min(1).default('./questionnaires'),
  ISSUER_DID: z.enum(['web', 'key']).default('web'),
  ISSUER_NAME: z.string().trim().min(1).default('Care Skills Badges'),
  ISSUER_URL: url.optional(),
  ISSUER_EMAIL: z.email().optional(),
  ISSUER_IMAGE: url.optional(),
  ISSUER_DESCRIPTION: optionalText,
  REMOTE_FETCH_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
  REMOTE_FETCH_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  REMOTE_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  VERIFY_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  SIGNING_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  RATE_LIMIT_VERIFY: rateLimit.default({ points: 30, durationSeconds: 60 }),
  RATE_LIMIT_API_KEY_FAILURES: rateLimit.default({ points: 10, durationSeconds: 900 }),
  RATE_LIMIT_RECIPIENT_CHECK: rateLimit.default({ points: 20, durationSeconds: 600 }),
  RATE_LIMIT_SIGN_IN: rateLimit.default({ points: 10, durationSeconds: 900 }),
  ...mailEnvShape,
  /**
   * How long an instance holds what it is working on (a spreadsheet job, a claimed batch of e-mails)
   * before another instance may take it over, should it have stopped. Shorter: a stopped instance's
   * work resumes sooner; longer: a very slow instance is less likely to be overtaken.
   */
  JOB_LOCK_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  MAIL_LOCK_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  // Unset: beside the database, in DATA_DIR.
  MAIL_DIR: z.string().min(1).optional(),
});

export interface RateLimit {
  points: number;
  durationSeconds: number;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Public base URL without a trailing slash; every URL in a credential starts with it. */
  publicUrl: string;
  dataDir: string;
  /** PostgreSQL (`postgres://…`); unset: SQLite in `dataDir`. */
  databaseUrl?: string;
  keysDir: string;
  /** The key-encryption key of organisations' private keys (keys/key-encryption.ts), or the file holding it. */
  keyEncryptionKey?: string;
  keyEncryptionKeyFile?: string;
  badgeClassesDir: string;
  /** The starter learning pathways, imported at first start like the badge classes. */
  pathwaysDir: string;
  /** The starter self-assessments of the profiling tool, imported at first start. */
  questionnairesDir: string;
  issuerDid: 'web' | 'key';
  issuer: { name: string; url: string; email?: string; image?: string; description?: string };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Worker threads for verification; unset: one fewer than the cores, at least one. */
  verifyThreads?: number;
  /** Worker threads for signing at issuance; 0 signs in the service's thread; unset: one fewer than the cores, at least one. */
  signingThreads?: number;
  /** Rules for fetching other issuers' documents (did:web, keys, status lists). */
  remoteFetch: { allowHttp: boolean; allowPrivateAddresses: boolean; timeoutMs: number };
  /** Per-client limits (src/http/rate-limit.ts); `enabled: false` (RATE_LIMITS=off) turns every limit off. */
  rateLimits: { enabled: boolean; verify: RateLimit; apiKeyFailures: RateLimit; recipientCheck: RateLimit; signIn: RateLimit };
  /** E-mail (src/mail/config.ts): SMTP_URL, MAIL_FROM, MAIL_DIR (default `DATA_DIR/mail`). */
  mail: MailConfig;
  /** How long an instance holds a spreadsheet job, and a claimed batch of e-mails, without renewing. */
  locks: { jobMs: number; mailMs: number };
}

export { ConfigError };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset, as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`configuration variable ${String(issue.path[0])} is invalid: ${issue.message}`);
  }
  // Without PUBLIC_URL, links point at this machine on the port the service listens on.
  const e = { ...parsed.data, PUBLIC_URL: parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}` };
  if (new URL(e.PUBLIC_URL).search || new URL(e.PUBLIC_URL).hash) {
    throw new ConfigError('configuration variable PUBLIC_URL must not have a query or fragment');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    dataDir: resolve(e.DATA_DIR),
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    keysDir: resolve(e.KEYS_DIR),
    ...(e.KEY_ENCRYPTION_KEY ? { keyEncryptionKey: e.KEY_ENCRYPTION_KEY } : {}),
    ...(e.KEY_ENCRYPTION_KEY_FILE ? { keyEncryptionKeyFile: resolve(e.KEY_ENCRYPTION_KEY_FILE) } : {}),
    badgeClassesDir: resolve(e.BADGE_CLASSES_DIR),
    pathwaysDir: resolve(e.PATHWAYS_DIR),
    questionnairesDir: resolve(e.QUESTIONNAIRES_DIR),
    issuerDid: e.ISSUER_DID,
    issuer: {
      name: e.ISSUER_NAME,
      url: e.ISSUER_URL ?? e.PUBLIC_URL,
      ...(e.ISSUER_EMAIL ? { email: e.ISSUER_EMAIL } : {}),
      ...(e.ISSUER_IMAGE ? { image: e.ISSUER_IMAGE } : {}),
      ...(e.ISSUER_DESCRIPTION ? { description: e.ISSUER_DESCRIPTION } : {}),
    },
    logLevel: e.LOG_LEVEL,
    ...(e.VERIFY_THREADS ? { verifyThreads: e.VERIFY_THREADS } : {}),
    ...(e.SIGNING_THREADS !== undefined ? { signingThreads: e.SIGNING_THREADS } : {}),
    remoteFetch: {
      allowHttp: e.REMOTE_FETCH_ALLOW_HTTP === 'true',
      allowPrivateAddresses: e.REMOTE_FETCH_ALLOW_PRIVATE === 'true',
      timeoutMs: e.REMOTE_FETCH_TIMEOUT_MS,
    },
    rateLimits: {
      enabled: e.RATE_LIMITS === 'on',
      verify: e.RATE_LIMIT_VERIFY,
      apiKeyFailures: e.RATE_LIMIT_API_KEY_FAILURES,
      recipientCheck: e.RATE_LIMIT_RECIPIENT_CHECK,
      signIn: e.RATE_LIMIT_SIGN_IN,
    },
    mail: toMailConfig({ ...e, MAIL_DIR: e.MAIL_DIR ?? join(e.DATA_DIR, 'mail') }),
    locks: { jobMs: e.JOB_LOCK_SECONDS * 1000, mailMs: e.MAIL_LOCK_SECONDS * 1000 },
  };
}
