import { randomUUID as nodeRandomUUID } from 'node:crypto';
import { z } from 'zod';
import { languageSchema, type Language } from '../badge-classes/schema.js';
import { credentialUrl } from '../credentials/build.js';
import type { ClaimedMessage, OutboxRecord, Storage, StoredDocument } from '../db/repositories.js';
import type { Logger } from '../logger.js';
import { readCredential } from '../pages/credential-view.js';
import { CONSOLE_ROLES, composeAward, composeExpiryNotice, composeExpiryReminder, composeInvitation, composePasswordReset, type ComposedMail } from './compose.js';
import { emailAddress } from './config.js';
import { createWakeablePause } from '../threads/wakeable.js';
import type { MailQueue } from './queue.js';
import { MailSendError, redactAddresses, type MailTransport, type OutgoingMail } from './transport.js';

/**
 * The sender of the durable outbox (`outbox` table). Award messages are queued by issuance in the
 * same transaction as their credentials; invitations and password resets are queued here. A loop
 * claims due messages a few at a time (the claim locks them in the database, so two instances never
 * take the same one), composes each, sends it, and marks it: sent (the address and payload are
 * removed), to be tried again later, or failed (the address removed too).
 *
 * Each message keeps one Message-ID, `<outbox id@host of PUBLIC_URL>`, for every attempt: should an
 * instance stop between the SMTP server's acceptance and the mark, the message is sent again when its
 * lock runs out, and mail programs recognise it as the same one. Addresses never reach a log line or
 * `last_error`.
 */

/**
 * Waits after the 1st, 2nd, … failed attempt that may succeed later (a 4xx, no connection, a
 * timeout): 8 attempts over about 45 hours, so a mail server down for a weekend loses nothing.
 * After the last, the message is given up.
 */
export const RETRY_DELAYS_MS: readonly number[] = [1, 5, 30, 120, 360, 720, 1440].map((minutes) => minutes * 60_000);

export interface OutboxOptions {
  /** Messages claimed at once. */
  batchSize: number;
  /** How often to look for due messages when there were none. */
  pollMs: number;
  /** How long a claim holds messages; another instance takes them after that (this one stopped). */
  lockMs: number;
  /** A claimed message is sent only while at least this much of its lock remains (one slow send's worth). */
  sendBudgetMs: number;
  retryDelaysMs: readonly number[];
  /**
   * Requests come first: while the process is busy, the sender waits this long before each message
   * (0: never rests nor waits). Composing, baking and encoding a message costs a few milliseconds of
   * the event loop, as much as a few issuances.
   */
  busyPauseMs: number;
}

export const OUTBOX_DEFAULTS: OutboxOptions = { batchSize: 10, pollMs: 1000, lockMs: 15 * 60_000, sendBudgetMs: 5 * 60_000, retryDelaysMs: RETRY_DELAYS_MS, busyPauseMs: 250 };

/** How long the sender rests before each message, measuring the process's load meanwhile. */
const PROBE_MS = 10;
/** More CPU than this share of one core while the sender rested: requests are being served. */
const BUSY_CORES = 0.5;

export interface MailQueueDeps {
  storage: Pick<Storage, 'outbox' | 'credentials' | 'status'>;
  transport: MailTransport;
  logger: Logger;
  publicUrl: string;
  /** The organisation's current contact address, for Reply-To. */
  organisations: { get(id: string): Promise<{ profile: { email?: string | undefined } } | undefined> };
  /** The credential baked into its badge's PNG, as `GET /credentials/{id}/badge.png` serves it. */
  badgePng(stored: StoredDocument): Promise<Buffer>;
  /** The learner's private progress link and the pathway's title, when the badge is a step of one of its organisation's pathways. */
  progress?(stored: StoredDocument, language: Language): Promise<{ url: string; pathway: string } | undefined>;
  now?: () => Date;
  randomUUID?: () => string;
  options?: Partial<OutboxOptions>;
}

/** A message that cannot be sent as it stands: given up at once, without the retries. */
class Undeliverable extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invitationPayload = z.object({ link: z.string(), expiresAt: z.iso.datetime(), organisation: z.string(), role: z.enum(CONSOLE_ROLES) });
const resetPayload = z.object({ link: z.string(), expiresAt: z.iso.datetime() });
const expiryPayload = z.object({ validUntil: z.iso.datetime(), method: z.enum(['reassessment', 'continuing-development']).nullable() });
const noticePayload = z.object({
  organisation: z.string(),
  items: z.array(z.object({ credentialId: z.string(), badge: z.string(), name: z.string().nullable(), validUntil: z.iso.datetime() })).min(1),
});
/** Password-reset links hold for an hour (src/accounts): the expiry the message states when none is given. */
const RESET_LINK_MS = 3600_000;

export function createMailQueue(deps: MailQueueDeps): MailQueue {
  const { storage, transport, logger, publicUrl, organisations } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;
  const merged = { ...OUTBOX_DEFAULTS, ...deps.options };
  // A shorter lock (MAIL_LOCK_SECONDS) shortens the time one send may take out of it too.
  const options = { ...merged, sendBudgetMs: deps.options?.sendBudgetMs ?? Math.min(merged.sendBudgetMs, merged.lockMs / 3) };
  const host = new URL(publicUrl).hostname;
  const iso = (ms: number) => new Date(ms).toISOString();

  let loop: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  let stopping = false;
  /** Woken when something is queued, so the loop looks again at once rather than sleeping. */
  const pause = createWakeablePause();
  const { wake, sleep } = pause;

  const languageOf = (value: string): Language => languageSchema.safeParse(value).data ?? 'en';
  const validAddress = (value: string | undefined) => (value !== undefined && emailAddress.safeParse(value).success ? value : undefined);

  async function composeAwardOf(message: ClaimedMessage): Promise<{ mail: ComposedMail; name?: string | undefined }> {
    const stored = message.credentialId ? await storage.credentials.get(message.credentialId) : undefined;
    let document: Record<string, unknown> | undefined;
    try {
      document = stored?.document ? (JSON.parse(stored.document) as Record<string, unknown>) : undefined;
    } catch {
      document = undefined;
    }
    if (!stored || !document) throw new Undeliverable('credential_unavailable', 'the credential was erased or does not exist');
    // Revoked before its message went out: the learner is not told of a badge that no longer holds.
    if ((await storage.status.entryOf(stored.id))?.revokedAt) throw new Undeliverable('credential_revoked', 'the credential was revoked before its message was sent');
    // The stored credential is in the award's language: its issuer Profile and Achievement give the names.
    const view = readCredential(document);
    if (!view.achievementName) throw new Undeliverable('credential_unavailable', 'the credential names no achievement');
    const org = await organisations.get(message.orgId ?? stored.orgId);
    let badgePng: Buffer;
    try {
      badgePng = await deps.badgePng(stored);
    } catch (e) {
      // The badge class left the catalog, or has no image to bake: no later attempt would have one.
      const code = (e as { code?: unknown }).code;
      if (code === 'badge_class_not_found' || code === 'not_found') throw new Undeliverable('badge_image_unavailable', `the badge image cannot be baked (${code})`);
      throw e;
    }
    const mail = composeAward({
      language: languageOf(message.language),
      organisation: { name: view.issuer.name ?? host, email: validAddress(org?.profile.email) },
      badgeName: view.achievementName,
      learnerName: view.recipientName,
      credentialUrl: credentialUrl(publicUrl, stored.id),
      badgePng,
      progress: await deps.progress?.(stored, languageOf(message.language)),
    });
    return { mail, name: view.recipientName };
  }

  /** The reminder before a badge expires, unless the badge was revoked, erased, corrected or renewed meanwhile. */
  async function composeExpiryOf(message: ClaimedMessage): Promise<{ mail: ComposedMail; name?: string | undefined }> {
    const payload = expiryPayload.safeParse(message.payload);
    if (!payload.success) throw new Undeliverable('payload_invalid', 'the reminder has no expiry date');
    const state = message.credentialId ? await storage.credentials.stateOf(message.credentialId) : undefined;
    const stored = state && !state.erasedAt ? await storage.credentials.get(state.id) : undefined;
    if (!state || !stored?.document) throw new Undeliverable('credential_unavailable', 'the credential was erased or does not exist');
    if (state.revokedAt || state.replacedBy || state.renewedBy) throw new Undeliverable('credential_settled', 'the credential was revoked, corrected or renewed before its reminder was sent');
    const view = readCredential(JSON.parse(stored.document) as Record<string, unknown>);
    const org = await organisations.get(message.orgId ?? stored.orgId);
    const mail = composeExpiryReminder({
      language: languageOf(message.language),
      organisation: { name: view.issuer.name ?? host, email: validAddress(org?.profile.email) },
      badgeName: view.achievementName ?? stored.badgeClass,
      learnerName: view.recipientName,
      credentialUrl: credentialUrl(publicUrl, stored.id),
      validUntil: new Date(payload.data.validUntil),
      method: payload.data.method,
    });
    return { mail, name: view.recipientName };
  }

  /** A console message's one-time link: useless once expired, so such a message is given up. */
  function checkLink(expiresAt: string): Date {
    const expiry = new Date(expiresAt);
    if (expiry.getTime() <= now().getTime()) throw new Undeliverable('link_expired', 'the link in the message has expired');
    return expiry;
  }

  async function compose(message: ClaimedMessage): Promise<{ mail: ComposedMail; name?: string | undefined }> {
    const language = languageOf(message.language);
    switch (message.kind) {
      case 'award':
        return composeAwardOf(message);
      case 'invitation': {
        const payload = invitationPayload.safeParse(message.payload);
        if (!payload.success) throw new Undeliverable('payload_invalid', 'the invitation has no link');
        const { link, expiresAt, organisation, role } = payload.data;
        return { mail: composeInvitation({ language, organisation, role, link, expiresAt: checkLink(expiresAt) }) };
      }
      case 'password_reset': {
        const payload = resetPayload.safeParse(message.payload);
        if (!payload.success) throw new Undeliverable('payload_invalid', 'the password reset has no link');
        return { mail: composePasswordReset({ language, link: payload.data.link, expiresAt: checkLink(payload.data.expiresAt) }) };
      }
      case 'expiry_reminder':
        return composeExpiryOf(message);
      case 'expiry_notice': {
        const payload = noticePayload.safeParse(message.payload);
        if (!payload.success) throw new Undeliverable('payload_invalid', 'the notice lists no badges');
        const items = payload.data.items.map((item) => ({ ...item, validUntil: new Date(item.validUntil), url: credentialUrl(publicUrl, item.credentialId) }));
        return { mail: composeExpiryNotice({ language, organisation: payload.data.organisation, items, consoleUrl: `${publicUrl}/console/awards` }) };
      }
      default:
        throw new Undeliverable('unknown_kind', `no message of kind "${String(message.kind)}"`);
    }
  }

  function failureOf(error: unknown): { code: string; message: string; retryable: boolean } {
    if (error instanceof Undeliverable) return { code: error.code, message: error.message, retryable: false };
    if (error instanceof MailSendError) return { code: error.code, message: error.message, retryable: error.retryable };
    // Anything else (the database, a bug) may well pass on a later attempt.
    return { code: 'internal', message: error instanceof Error ? error.message : String(error), retryable: true };
  }

  /** Composes, sends and marks one claimed message; a failure is recorded, never thrown. */
  async function deliver(message: ClaimedMessage): Promise<void> {
    const attempt = message.attempts + 1;
    const messageId = `<${message.id}@${host}>`;
    const log = { outboxId: message.id, kind: message.kind, attempt };
    try {
      if (!message.recipient) throw new Undeliverable('no_recipient', 'the message has no recipient');
      const { mail, name } = await compose(message);
      const to: OutgoingMail['to'] = name ? { name, address: message.recipient } : message.recipient;
      await transport.send({ ...mail, to, messageId });
    } catch (error) {
      const failure = failureOf(error);
      // The server's reply is already without addresses (transport.ts); anything else is cleaned here.
      const lastError = redactAddresses(`${failure.code}: ${failure.message}`).slice(0, 500);
      const delay = options.retryDelaysMs[attempt - 1];
      if (failure.retryable && delay !== undefined) {
        const nextAttemptAt = iso(now().getTime() + delay);
        await storage.outbox.retryAt(message.id, nextAttemptAt, lastError);
        logger.warn({ ...log, code: failure.code, error: lastError, nextAttemptAt }, 'mail deferred: it will be tried again');
      } else {
        await storage.outbox.markFailed(message.id, lastError);
        // A credential erased or revoked before its message went out is no fault: noted quietly.
        const level = failure.code === 'credential_unavailable' || failure.code === 'credential_revoked' || failure.code === 'credential_settled' ? 'info' : 'warn';
        logger[level]({ ...log, code: failure.code, error: lastError }, 'mail given up');
      }
      return;
    }
    // Only after the server took it. Should this fail, the message stays claimed until its lock runs
    // out and is then sent again, with the same Message-ID.
    await storage.outbox.markSent(message.id, now().toISOString(), messageId);
  }

  /**
   * Requests first: before each message the sender rests a moment and looks at how much CPU the
   * process used meanwhile (its event loop and its signing and verifying threads). Busy: it waits
   * `busyPauseMs` more, so that under a long burst mail still goes out, a few messages a second.
   */
  async function yieldToRequests(): Promise<void> {
    if (options.busyPauseMs <= 0) return;
    const cpu = process.cpuUsage();
    const since = performance.now();
    await sleep(PROBE_MS);
    const used = process.cpuUsage(cpu);
    const cores = (used.user + used.system) / 1000 / (performance.now() - since);
    if (cores > BUSY_CORES && !stopping) await sleep(options.busyPauseMs);
  }

  /** One claim and its messages; how many were claimed. */
  async function sendBatch(): Promise<number> {
    const at = now().getTime();
    const claimed = await storage.outbox.claim(iso(at), iso(at + options.lockMs), options.batchSize);
    let started = 0;
    try {
      for (const message of claimed) {
        if (stopping) break;
        // Too little of the claim left to be sure no other instance takes it meanwhile: given back below.
        if (Date.parse(message.lockedUntil) - now().getTime() < options.sendBudgetMs) break;
        await yieldToRequests();
        if (stopping) break;
        started += 1;
        await deliver(message);
      }
    } finally {
      // Stopping (or short of time): what was claimed and not tried is given back at once, for the
      // next start or another instance.
      const untried = claimed.slice(started);
      if (untried.length) await storage.outbox.release(untried.map((m) => m.id), iso(at + options.lockMs));
    }
    return claimed.length;
  }

  async function run(): Promise<void> {
    while (!stopping) {
      pause.clear();
      let claimed = 0;
      try {
        claimed = await sendBatch();
      } catch (error) {
        logger.error({ error: redactAddresses(error instanceof Error ? error.message : String(error)) }, 'the mail outbox could not be read; trying again');
      }
      if (!stopping && !pause.woken && claimed < options.batchSize) await sleep(options.pollMs);
    }
  }

  async function queue(record: Omit<OutboxRecord, 'id' | 'createdAt' | 'nextAttemptAt'>): Promise<void> {
    const at = now().toISOString();
    await storage.outbox.insert([{ ...record, id: randomUUID(), createdAt: at, nextAttemptAt: at }]);
    wake();
  }

  return {
    async invitation({ to, link, expiresAt, orgId, organisation, role, language }) {
      await queue({ orgId, kind: 'invitation', credentialId: null, recipient: to, language, payload: { link, expiresAt, organisation, role } });
    },
    async passwordReset({ to, link, language, expiresAt }) {
      const expiry = expiresAt ?? iso(now().getTime() + RESET_LINK_MS);
      await queue({ orgId: null, kind: 'password_reset', credentialId: null, recipient: to, language, payload: { link, expiresAt: expiry } });
    },
    start() {
      if (loop || stopping) return;
      loop = run();
    },
    close() {
      closing ??= (async () => {
        stopping = true;
        wake();
        await loop;
        await transport.close();
      })();
      return closing;
    },
  };
}
