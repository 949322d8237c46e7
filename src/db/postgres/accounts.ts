import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AccountRepository, OneTimeTokenRecord, Role } from '../repositories.js';
import { auditLog, memberships, oneTimeTokens, organisations, sessions, users } from './schema.js';
import type { Executor } from './storage.js';

const asToken = (row: typeof oneTimeTokens.$inferSelect): OneTimeTokenRecord => ({ ...row, purpose: row.purpose as OneTimeTokenRecord['purpose'], role: row.role as Role | null });
const asMembership = <T extends { role: string }>(row: T): T & { role: Role } => ({ ...row, role: row.role as Role });
const first = <T>(rows: T[]): T | undefined => rows[0];

/** People, memberships, sessions, one-time links and the audit log on PostgreSQL. */
export function createPostgresAccountRepository(db: Executor): AccountRepository {
  return {
    async userByEmail(email) {
      return first(await db.select().from(users).where(eq(users.email, email)).limit(1));
    },
    async userById(id) {
      return first(await db.select().from(users).where(eq(users.id, id)).limit(1));
    },
    async insertUser(user) {
      await db.insert(users).values(user);
    },
    async updateUser(id, patch) {
      if (Object.keys(patch).length) await db.update(users).set(patch).where(eq(users.id, id));
    },
    async membershipsOf(userId) {
      const rows = await db
        .select({ userId: memberships.userId, orgId: memberships.orgId, role: memberships.role, createdAt: memberships.createdAt, orgName: organisations.name, orgSlug: organisations.slug })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.orgId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(organisations.name));
      return rows.map(asMembership);
    },
    async membersOf(orgId) {
      const rows = await db
        .select({ userId: memberships.userId, orgId: memberships.orgId, role: memberships.role, createdAt: memberships.createdAt, email: users.email, name: users.name, disabledAt: users.disabledAt })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.orgId, orgId))
        .orderBy(asc(users.name), asc(users.email));
      return rows.map(asMembership);
    },
    async setMembership(m) {
      await db.insert(memberships).values(m).onConflictDoUpdate({ target: [memberships.userId, memberships.orgId], set: { role: m.role } });
    },
    async removeMembership(userId, orgId) {
      await db.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)));
    },
    async insertToken(token) {
      await db.insert(oneTimeTokens).values(token);
    },
    async tokenById(id) {
      const row = first(await db.select().from(oneTimeTokens).where(eq(oneTimeTokens.id, id)).limit(1));
      return row && asToken(row);
    },
    async useToken(id, at) {
      const used = await db
        .update(oneTimeTokens)
        .set({ usedAt: at })
        .where(and(eq(oneTimeTokens.id, id), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, at)))
        .returning({ id: oneTimeTokens.id });
      return used.length === 1;
    },
    async pendingInvitations(orgId, now) {
      const rows = await db
        .select()
        .from(oneTimeTokens)
        .where(and(eq(oneTimeTokens.orgId, orgId), eq(oneTimeTokens.purpose, 'invitation'), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, now)))
        .orderBy(desc(oneTimeTokens.createdAt));
      return rows.map(asToken);
    },
    async insertSession(session) {
      await db.insert(sessions).values(session);
    },
    async sessionById(id) {
      return first(await db.select().from(sessions).where(eq(sessions.id, id)).limit(1));
    },
    async touchSession(id, lastSeenAt, expiresAt) {
      await db.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.id, id));
    },
    async setSessionOrg(id, orgId) {
      await db.update(sessions).set({ orgId }).where(eq(sessions.id, id));
    },
    async deleteSession(id) {
      await db.delete(sessions).where(eq(sessions.id, id));
    },
    async deleteSessionsOf(userId) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
    async insertAudit(record) {
      await db.insert(auditLog).values(record);
    },
    async auditOf(orgId, { limit, before }) {
      const scope = before
        ? and(eq(auditLog.orgId, orgId), sql`(${auditLog.at}, ${auditLog.id}) < (${before.at}, ${before.id})`)
        : eq(auditLog.orgId, orgId);
      return db.select().from(auditLog).where(scope).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit);
    },
  };
}
