import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { AccountRepository, AuditRecord, MembershipRecord, OneTimeTokenRecord, Role } from '../repositories.js';
import { auditLog, memberships, oneTimeTokens, organisations, sessions, users } from '../schema.js';

const asToken = (row: typeof oneTimeTokens.$inferSelect): OneTimeTokenRecord => ({ ...row, purpose: row.purpose as OneTimeTokenRecord['purpose'], role: row.role as Role | null });
const asMembership = <T extends { role: string }>(row: T): T & { role: Role } => ({ ...row, role: row.role as Role });

/** People, memberships, sessions, one-time links and the audit log on SQLite. */
export function createSqliteAccountRepository(db: Db): AccountRepository {
  // Every console request resolves its session: prepared once.
  const sessionById = db.select().from(sessions).where(eq(sessions.id, sql.placeholder('id'))).prepare();
  const userById = db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
  return {
    async userByEmail(email) {
      return db.select().from(users).where(eq(users.email, email)).get();
    },
    async userById(id) {
      return userById.get({ id });
    },
    async insertUser(user) {
      db.insert(users).values(user).run();
    },
    async updateUser(id, patch) {
      if (Object.keys(patch).length) db.update(users).set(patch).where(eq(users.id, id)).run();
    },
    async membershipsOf(userId) {
      return db
        .select({ userId: memberships.userId, orgId: memberships.orgId, role: memberships.role, createdAt: memberships.createdAt, orgName: organisations.name, orgSlug: organisations.slug })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.orgId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(organisations.name))
        .all()
        .map(asMembership);
    },
    async membersOf(orgId) {
      return db
        .select({ userId: memberships.userId, orgId: memberships.orgId, role: memberships.role, createdAt: memberships.createdAt, email: users.email, name: users.name, disabledAt: users.disabledAt })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.orgId, orgId))
        .orderBy(asc(users.name), asc(users.email))
        .all()
        .map(asMembership);
    },
    async setMembership(m: MembershipRecord) {
      db.insert(memberships).values(m).onConflictDoUpdate({ target: [memberships.userId, memberships.orgId], set: { role: m.role } }).run();
    },
    async removeMembership(userId, orgId) {
      db.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId))).run();
    },
    async insertToken(token) {
      db.insert(oneTimeTokens).values(token).run();
    },
    async tokenById(id) {
      const row = db.select().from(oneTimeTokens).where(eq(oneTimeTokens.id, id)).get();
      return row && asToken(row);
    },
    async useToken(id, at) {
      return db.update(oneTimeTokens).set({ usedAt: at }).where(and(eq(oneTimeTokens.id, id), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, at))).run().changes === 1;
    },
    async pendingInvitations(orgId, now) {
      return db
        .select()
        .from(oneTimeTokens)
        .where(and(eq(oneTimeTokens.orgId, orgId), eq(oneTimeTokens.purpose, 'invitation'), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, now)))
        .orderBy(desc(oneTimeTokens.createdAt))
        .all()
        .map(asToken);
    },
    async insertSession(session) {
      db.insert(sessions).values(session).run();
    },
    async sessionById(id) {
      return sessionById.get({ id });
    },
    async touchSession(id, lastSeenAt, expiresAt) {
      db.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.id, id)).run();
    },
    async setSessionOrg(id, orgId) {
      db.update(sessions).set({ orgId }).where(eq(sessions.id, id)).run();
    },
    async deleteSession(id) {
      db.delete(sessions).where(eq(sessions.id, id)).run();
    },
    async deleteSessionsOf(userId) {
      db.delete(sessions).where(eq(sessions.userId, userId)).run();
    },
    async insertAudit(record: AuditRecord) {
      db.insert(auditLog).values(record).run();
    },
    async auditOf(orgId, { limit, before }) {
      const scope = before
        ? and(eq(auditLog.orgId, orgId), sql`(${auditLog.at}, ${auditLog.id}) < (${before.at}, ${before.id})`)
        : eq(auditLog.orgId, orgId);
      return db.select().from(auditLog).where(scope).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit).all();
    },
  };
}
