import { issuerIdOf } from '../credentials/model.js';
import type { UsageMetric, Storage, StoredDocument } from '../db/repositories.js';
import type { Logger } from '../logger.js';
import type { VerificationReport } from '../verify/report.js';
import { isCountable, type RequestSignals } from './audience.js';
import { createUsageCounter, type UsageCounter } from './counter.js';

/**
 * What a coordinator sees per badge class. `awarded` and `delivered` count credentials (stored rows:
 * awarded, and whose award e-mail went out); `views`, `downloads` and `verifications` count events,
 * not people: the same learner downloading twice counts twice, and nothing says who it was.
 */
export interface BadgeClassUsage {
  badgeClass: string;
  awarded: number;
  delivered: number;
  /** Badges their learners took at least once (downloaded, or added to LinkedIn). */
  claimed: number;
  /** The public page opened (a browser asking again whether it changed, a 304, counts too). */
  views: number;
  /** The baked PNG or SVG, the JSON, the VC-JWT or the certificate downloaded, or "add to LinkedIn" used. */
  downloads: number;
  /** Checked by our verifier (`/verify`, page or API) and found to be this credential, genuinely signed. */
  verifications: number;
}

export interface UsageService extends Pick<UsageCounter, 'flush' | 'start' | 'close'> {
  /** Counts a view or a download of a stored credential, when the request looks like a person's. */
  /** Counts a view or a download; true when it was counted (not a robot, not a HEAD). */
  record(request: RequestSignals, stored: Pick<StoredDocument, 'orgId' | 'badgeClass'>, metric: Exclude<UsageMetric, 'verifications'>): boolean;
  /** Counts a verification by our verifier, when what it verified is one of our own stored credentials. */
  recordVerification(request: RequestSignals, report: VerificationReport): Promise<void>;
  /** An organisation's counts per badge class, by slug; only its own credentials are counted. */
  statsOf(orgId: string): Promise<BadgeClassUsage[]>;
}

export interface UsageDeps {
  storage: Storage;
  logger: Logger;
  publicUrl: string;
  /** A stored credential by id (the issuance service's, which keeps recent ones in memory). */
  credential(id: string): Promise<Pick<StoredDocument, 'orgId' | 'badgeClass' | 'document'> | undefined>;
  intervalMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createUsage({ storage, logger, publicUrl, credential, intervalMs }: UsageDeps): UsageService {
  const counter = createUsageCounter({ repo: storage.usage, logger, ...(intervalMs !== undefined ? { intervalMs } : {}) });
  const prefix = `${publicUrl}/credentials/`;

  /**
   * The stored credential a report is about, when it is ours and genuine: its id is one of our
   * credential URLs, its signature checked out by a key its issuer lists, and that issuer is the one
   * of the stored credential. A copy altered to borrow one of our ids is not counted.
   */
  async function ownVerified(report: VerificationReport) {
    const id = typeof report.credential?.id === 'string' && report.credential.id.startsWith(prefix) ? report.credential.id.slice(prefix.length) : undefined;
    if (!id || !UUID.test(id)) return undefined;
    const passed = (check: string) => report.checks.some((c) => c.id === check && c.status === 'passed');
    if (!passed('proof') || !passed('issuer_key')) return undefined;
    const stored = await credential(id);
    if (!stored || issuerIdOf(JSON.parse(stored.document) as { issuer?: unknown }) !== issuerIdOf(report.credential!)) return undefined;
    return stored;
  }

  return {
    flush: counter.flush,
    start: counter.start,
    close: counter.close,
    record(request, stored, metric) {
      if (!isCountable(request)) return false;
      counter.count(stored.orgId, stored.badgeClass, metric);
      return true;
    },
    async recordVerification(request, report) {
      if (!isCountable(request)) return;
      const stored = await ownVerified(report);
      if (stored) counter.count(stored.orgId, stored.badgeClass, 'verifications');
    },
    async statsOf(orgId) {
      const [awarded, delivery, events] = await Promise.all([storage.credentials.countByBadgeClass(orgId), storage.outbox.countsOf(orgId), storage.usage.countsOf(orgId)]);
      const rows = new Map<string, BadgeClassUsage>();
      const row = (badgeClass: string) => {
        let r = rows.get(badgeClass);
        if (!r) rows.set(badgeClass, (r = { badgeClass, awarded: 0, delivered: 0, claimed: 0, views: 0, downloads: 0, verifications: 0 }));
        return r;
      };
      for (const a of awarded) Object.assign(row(a.badgeClass), { awarded: a.awarded, claimed: a.claimed });
      for (const d of delivery.byBadgeClass) row(d.badgeClass).delivered = d.sent;
      for (const e of events) row(e.badgeClass)[e.metric] = e.count;
      return [...rows.values()].sort((a, b) => (a.badgeClass < b.badgeClass ? -1 : a.badgeClass > b.badgeClass ? 1 : 0));
    },
  };
}
