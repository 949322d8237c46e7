import { randomUUID as nodeRandomUUID } from 'node:crypto';
import { pick } from '../badge-classes/achievement.js';
import type { Catalog } from '../badge-classes/catalog.js';
import { languageSchema, type Language, type RENEWAL_METHODS } from '../badge-classes/schema.js';
import { addDuration } from '../credentials/build.js';
import type { DueReminder, ExpiryReminderRecord, OutboxRecord, Storage } from '../db/repositories.js';
import type { Logger } from '../logger.js';
import { createWakeablePause } from '../threads/wakeable.js';
import type { AddressBox } from './contacts.js';

/**
 * Reminders before a badge expires. A credential that expires gets, with its issuance, one row of what
 * remains to be said: the times its reminders fall due (its badge class's `renewal.remindBefore`, or
 * 60 and 14 days before) and the learner's address, encrypted. A sweep, every few minutes on each
 * instance, takes the rows due: for each, the learner is sent a reminder (when their address is
 * known) and the organisation one message listing its badges that expire soon; the row moves past the
 * times reached, in the same transaction as the messages, and only if no other instance moved it
 * first, so nobody is told twice. Several times reached at once (the service was stopped) give one
 * reminder. A credential revoked, erased, corrected or renewed meanwhile gets none, and its row goes.
 * The address is kept until 90 days after the badge expires (for a late renewal), then deleted.
 */

export const DEFAULT_REMIND_BEFORE: readonly string[] = ['P60D', 'P14D'];
/** After the badge expires, its address is kept this long still, so that a late renewal reaches the learner. */
export const KEEP_AFTER_EXPIRY = 'P90D';

export type RenewalMethod = (typeof RENEWAL_METHODS)[number];

/** A credential's reminders, as its issuance stores them: the times still ahead of the issuance. */
export function planReminders(input: { credentialId: string; orgId: string; validUntil: string; issuedAt: Date; remindBefore?: readonly string[] | undefined; address: string | null }): ExpiryReminderRecord {
  const end = new Date(input.validUntil);
  const times = new Set((input.remindBefore ?? DEFAULT_REMIND_BEFORE).map((lead) => addDuration(end, lead, -1).getTime()));
  const due = [...times].filter((t) => t > input.issuedAt.getTime()).sort((a, b) => a - b).map((t) => new Date(t).toISOString());
  return { credentialId: input.credentialId, orgId: input.orgId, validUntil: input.validUntil, due, address: input.address, keepUntil: addDuration(end, KEEP_AFTER_EXPIRY).toISOString() };
}

/** What an `expiry_reminder` message carries (removed once sent). */
export interface ExpiryReminderPayload {
  validUntil: string;
  method: RenewalMethod | null;
}

/** What an `expiry_notice` message to an organisation carries (removed once sent). */
export interface ExpiryNoticePayload {
  organisation: string;
  items: Array<{ credentialId: string; badge: string; name: string | null; validUntil: string }>;
}

export interface ExpiryRemindersOptions {
  /** Rows taken at once. */
  batchSize: number;
  /** Between two sweeps. */
  intervalMs: number;
}

export const REMINDER_DEFAULTS: ExpiryRemindersOptions = { batchSize: 100, intervalMs: 5 * 60_000 };

export interface ExpiryRemindersDeps {
  storage: Pick<Storage, 'reminders' | 'credentials' | 'transaction'>;
  catalog: Pick<Catalog, 'get'>;
  organisations: { get(id: string): Promise<{ name: string; profile: { email?: string | undefined } } | undefined> };
  box: AddressBox;
  logger: Logger;
  now?: () => Date;
  randomUUID?: () => string;
  options?: Partial<ExpiryRemindersOptions>;
}

export interface SweepResult {
  /** Credentials whose reminder was queued. */
  reminded: number;
  /** Rows forgotten because their credential no longer needs reminding. */
  dropped: number;
  /** Rows deleted past their keeping time. */
  purged: number;
}

export interface ExpiryReminders {
  sweep(): Promise<SweepResult>;
  start(): void;
  stop(): Promise<void>;
}

export function createExpiryReminders(deps: ExpiryRemindersDeps): ExpiryReminders {
  const { storage, catalog, organisations, box, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const randomUUID = deps.randomUUID ?? nodeRandomUUID;
  const options = { ...REMINDER_DEFAULTS, ...deps.options };
  const languageOf = (value: string): Language => languageSchema.safeParse(value).data ?? 'en';

  /** Whether a credential still expires as issued: not revoked, erased, corrected or renewed. */
  async function stillExpiring(credentialId: string): Promise<boolean> {
    const state = await storage.credentials.stateOf(credentialId);
    return !!state && !state.erasedAt && !state.revokedAt && !state.replacedBy && !state.renewedBy;
  }

  /** One batch of due rows; how many were due. */
  async function sweepBatch(at: Date, result: SweepResult): Promise<number> {
    const atText = at.toISOString();
    const due = await storage.reminders.due(atText, options.batchSize);
    const live: Array<{ row: DueReminder; address: string | undefined }> = [];
    for (const row of due) {
      if (!(await stillExpiring(row.credentialId))) {
        await storage.reminders.drop(row.credentialId);
        result.dropped += 1;
        continue;
      }
      live.push({ row, address: row.address ? await box.open(row.address) : undefined });
    }
    if (!live.length) return due.length;

    const queuedAt = atText;
    await storage.transaction(async (tx) => {
      const messages: OutboxRecord[] = [];
      const notices = new Map<string, { language: Language; items: ExpiryNoticePayload['items'] }>();
      for (const { row, address } of live) {
        // Another instance that sent it first moved it on: nothing more here.
        if (!(await tx.reminders.advance(row.credentialId, row.due[0]!, row.due.filter((t) => t > atText)))) continue;
        result.reminded += 1;
        const language = languageOf(row.language);
        const entry = catalog.get(row.badgeClass);
        if (address) {
          const payload: ExpiryReminderPayload = { validUntil: row.validUntil, method: entry?.badgeClass.renewal?.method ?? null };
          messages.push({ id: randomUUID(), orgId: row.orgId, kind: 'expiry_reminder', credentialId: row.credentialId, recipient: address, language, payload: { ...payload }, createdAt: queuedAt, nextAttemptAt: queuedAt });
        }
        const notice = notices.get(row.orgId) ?? { language, items: [] };
        notice.items.push({ credentialId: row.credentialId, badge: entry ? pick(entry.badgeClass.name, language) : row.badgeClass, name: row.recipientName, validUntil: row.validUntil });
        notices.set(row.orgId, notice);
      }
      for (const [orgId, notice] of notices) {
        const org = await organisations.get(orgId);
        if (!org?.profile.email) continue;
        const payload: ExpiryNoticePayload = { organisation: org.name, items: notice.items };
        messages.push({ id: randomUUID(), orgId, kind: 'expiry_notice', credentialId: null, recipient: org.profile.email, language: notice.language, payload: { ...payload }, createdAt: queuedAt, nextAttemptAt: queuedAt });
      }
      if (messages.length) await tx.outbox.insert(messages);
    });
    return due.length;
  }

  async function sweep(): Promise<SweepResult> {
    const at = now();
    const result: SweepResult = { reminded: 0, dropped: 0, purged: await storage.reminders.purge(at.toISOString()) };
    // Rows moved on leave the due set: the loop ends when a batch is not full.
    for (let i = 0; i < 1000; i++) if ((await sweepBatch(at, result)) < options.batchSize) break;
    if (result.reminded || result.dropped || result.purged) logger.info({ ...result }, 'expiry reminders');
    return result;
  }

  let loop: Promise<void> | undefined;
  let stopping = false;
  const pause = createWakeablePause();
  return {
    sweep,
    start() {
      if (loop || stopping) return;
      loop = (async () => {
        while (!stopping) {
          try {
            await sweep();
          } catch (error) {
            logger.error({ error: error instanceof Error ? error.message : String(error) }, 'the expiry reminders could not be swept; trying again later');
          }
          if (!stopping) await pause.sleep(options.intervalMs);
        }
      })();
    },
    async stop() {
      stopping = true;
      pause.wake();
      await loop;
    },
  };
}
