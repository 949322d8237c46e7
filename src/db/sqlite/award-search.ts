import { and, eq, gt, gte, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { likeEscaped } from '../like.js';
import type { AwardSearch } from '../repositories.js';
import { credentialStatuses, credentials } from '../schema.js';


/** The WHERE of an award search (SQLite). */
export function awardFilter(orgId: string, q: AwardSearch): SQL | undefined {
  const notRevoked = isNull(credentialStatuses.revokedAt);
  const unexpired = or(isNull(credentials.validUntil), gt(credentials.validUntil, q.now));
  return and(
    eq(credentials.orgId, orgId),
    q.recipientKey ? eq(credentials.recipientKey, q.recipientKey) : undefined,
    q.name ? sql`lower(${credentials.recipientName}) like ${likeEscaped(q.name)} escape '\\'` : undefined,
    q.badgeClass ? eq(credentials.badgeClass, q.badgeClass) : undefined,
    q.from ? gte(credentials.issuedAt, q.from) : undefined,
    q.to ? lte(credentials.issuedAt, q.to) : undefined,
    q.state === 'revoked' ? isNotNull(credentialStatuses.revokedAt) : undefined,
    q.state === 'active' ? and(notRevoked, unexpired) : undefined,
    q.state === 'expired' ? and(notRevoked, lte(credentials.validUntil, q.now)) : undefined,
    q.after ? sql`(${credentials.issuedAt}, ${credentials.id}) < (${q.after.issuedAt}, ${q.after.id})` : undefined,
  );
}
