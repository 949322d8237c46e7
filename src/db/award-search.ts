import { and, eq, gt, gte, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnyColumn } from 'drizzle-orm';
import { likeEscaped } from './like.js';
import type { AwardSearch } from './repositories.js';

/** The columns an award search reads, the same on both backends. */
export interface AwardColumns {
  credentials: { orgId: AnyColumn; learnerKey: AnyColumn; recipientName: AnyColumn; badgeClass: AnyColumn; issuedAt: AnyColumn; validUntil: AnyColumn; id: AnyColumn };
  statuses: { revokedAt: AnyColumn };
  suspensions: { suspendedAt: AnyColumn };
}

/**
 * The WHERE of an award search: the organisation's credentials that match, after the keyset position.
 * A state is the first that applies of revoked, suspended, expired and active, as the console shows it.
 */
export function awardFilter({ credentials: c, statuses: s, suspensions: p }: AwardColumns, orgId: string, q: AwardSearch): SQL | undefined {
  const notRevoked = isNull(s.revokedAt);
  const notSuspended = isNull(p.suspendedAt);
  const unexpired = or(isNull(c.validUntil), gt(c.validUntil, q.now));
  return and(
    eq(c.orgId, orgId),
    q.learnerKey ? eq(c.learnerKey, q.learnerKey) : undefined,
    q.name ? sql`lower(${c.recipientName}) like ${likeEscaped(q.name)} escape '\\'` : undefined,
    q.badgeClass ? eq(c.badgeClass, q.badgeClass) : undefined,
    q.from ? gte(c.issuedAt, q.from) : undefined,
    q.to ? lte(c.issuedAt, q.to) : undefined,
    q.state === 'revoked' ? isNotNull(s.revokedAt) : undefined,
    q.state === 'suspended' ? and(notRevoked, isNotNull(p.suspendedAt)) : undefined,
    q.state === 'active' ? and(notRevoked, notSuspended, unexpired) : undefined,
    q.state === 'expired' ? and(notRevoked, notSuspended, lte(c.validUntil, q.now)) : undefined,
    q.after ? sql`(${c.issuedAt}, ${c.id}) < (${q.after.issuedAt}, ${q.after.id})` : undefined,
  );
}

/** What an award search answers with, picked from either backend's tables (their columns differ only in type). */
export const awardRowColumns = <
  C extends { id: AnyColumn; badgeClass: AnyColumn; language: AnyColumn; issuedAt: AnyColumn; validUntil: AnyColumn; recipientName: AnyColumn; replacedBy: AnyColumn; renewedBy: AnyColumn; erasedAt: AnyColumn },
  S extends { revokedAt: AnyColumn; reason: AnyColumn },
  P extends { suspendedAt: AnyColumn; reason: AnyColumn },
>({
  credentials: c,
  statuses: s,
  suspensions: p,
}: {
  credentials: C;
  statuses: S;
  suspensions: P;
}): Pick<C, 'id' | 'badgeClass' | 'language' | 'issuedAt' | 'validUntil' | 'recipientName' | 'replacedBy' | 'renewedBy' | 'erasedAt'> & Pick<S, 'revokedAt' | 'reason'> & Pick<P, 'suspendedAt'> & { suspensionReason: P['reason'] } => ({
  id: c.id,
  badgeClass: c.badgeClass,
  language: c.language,
  issuedAt: c.issuedAt,
  validUntil: c.validUntil,
  recipientName: c.recipientName,
  revokedAt: s.revokedAt,
  reason: s.reason,
  suspendedAt: p.suspendedAt,
  suspensionReason: p.reason,
  replacedBy: c.replacedBy,
  renewedBy: c.renewedBy,
  erasedAt: c.erasedAt,
});

/** What `stateOf` reads, from either backend's tables: the credential's row, its status entry and its suspension (left joined). */
export const credentialStateColumns = <
  C extends { id: AnyColumn; orgId: AnyColumn; badgeClass: AnyColumn; replacedBy: AnyColumn; renewedBy: AnyColumn; renews: AnyColumn; erasedAt: AnyColumn; learnerKey: AnyColumn; claimedAt: AnyColumn },
  S extends { listId: AnyColumn; revokedAt: AnyColumn; reason: AnyColumn; reasonPublic: AnyColumn },
  P extends { suspendedAt: AnyColumn },
>({
  credentials: c,
  statuses: s,
  suspensions: p,
}: {
  credentials: C;
  statuses: S;
  suspensions: P;
}): Pick<C, 'id' | 'orgId' | 'badgeClass' | 'replacedBy' | 'renewedBy' | 'renews' | 'erasedAt' | 'learnerKey' | 'claimedAt'> & Pick<S, 'listId' | 'revokedAt' | 'reason' | 'reasonPublic'> & Pick<P, 'suspendedAt'> => ({
  id: c.id,
  orgId: c.orgId,
  badgeClass: c.badgeClass,
  replacedBy: c.replacedBy,
  renewedBy: c.renewedBy,
  renews: c.renews,
  erasedAt: c.erasedAt,
  learnerKey: c.learnerKey,
  claimedAt: c.claimedAt,
  listId: s.listId,
  revokedAt: s.revokedAt,
  reason: s.reason,
  reasonPublic: s.reasonPublic,
  suspendedAt: p.suspendedAt,
});
