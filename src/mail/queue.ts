import type { Language } from '../badge-classes/schema.js';
import type { Role } from '../db/repositories.js';

/**
 * What the rest of the service asks of e-mail: messages are put in a durable outbox (in the database)
 * and sent by a sender that retries with backoff, so that none is lost across restarts and none is
 * sent twice. Award messages are queued with the issuance itself (in its transaction); these are the
 * others.
 */
export interface MailQueue {
  /** An invitation to an organisation's console, with its one-time link. */
  invitation(input: { to: string; link: string; expiresAt: string; orgId: string; organisation: string; role: Role; language: Language; inviter?: string }): Promise<void>;
  /** A password-reset link; the message states its expiry (an hour from now when not given). */
  passwordReset(input: { to: string; link: string; language: string; expiresAt?: string }): Promise<void>;
  /** Starts sending what is due (the service does; tests and the CLI may not). */
  start(): void;
  /** Stops sending, after the message under way. */
  close(): Promise<void>;
}
