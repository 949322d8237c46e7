import { createHash, randomBytes, randomUUID as nodeRandomUUID } from 'node:crypto';
import type { AuditRecord, MembershipRecord, OneTimeTokenRecord, Role, SessionRecord, Storage, UserRecord } from '../db/repositories.js';
import { isStorageError } from '../db/errors.js';
import { AppError } from '../errors/errors.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

/**
 * People in organisations: invitations, sign-in, password resets, sessions, roles, and the audit log
 * of who did what. Secrets (session cookies, one-time links) are 256-bit random tokens of which only
 * the SHA-256 is stored, so a copy of the database opens no session and no link.
 */
export const ROLES = ['owner', 'issuer', 'viewer'] as const satisfies readonly Role[];

/** What each role may do. Owners manage people, API keys and settings, and erase awards; issuers award, re-issue, suspend, reinstate and revoke; viewers look. */
const ALLOWED = {
  owner: ['view', 'award', 'revoke', 'suspend', 'badge_classes', 'people', 'api_keys', 'settings', 'erase'],
  issuer: ['view', 'award', 'revoke', 'suspend', 'badge_classes'],
  viewer: ['view'],
} as const satisfies Record<Role, readonly string[]>;
export type Permission = (typeof ALLOWED)['owner'][number];
export const can = (role: Role, permission: Permission): boolean => (ALLOWED[role] as readonly string[]).includes(permission);

/** A session lasts 12 hours from its last use, and 14 days at most. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 14 * 24 * 3600_000;
/** Invitations hold for 7 days, password resets for 1 hour, the first owner's link for 3 days. */
const TOKEN_TTL_MS = { invitation: 7 * 24 * 3600_000, password_reset: 3600_000, first_owner: 3 * 24 * 3600_000 } as const;
/** A session's last use is written at most once a minute. */
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export interface SignedIn {
  session: SessionRecord;
  user: UserRecord;
  /** The organisations the person belongs to. */
  memberships: Array<MembershipRecord & { orgName: string; orgSlug: string }>;
  /** The one being worked in, with the person's role there; undefined when they belong to none. */
  current: (MembershipRecord & { orgName: string; orgSlug: string }) | undefined;
}

export interface AccountsDeps {
  storage: Storage;
  publicUrl: string;
  now?: () => Date;
  randomUUID?: () => string;
}

export function createAccounts({ storage, publicUrl, now = () => new Date(), randomUUID = nodeRandomUUID }: AccountsDeps) {
  const repo = storage.accounts;
  const iso = (ms?: number) => new Date(ms ?? now().getTime()).toISOString();

  async function issueToken(purpose: OneTimeTokenRecord['purpose'], fields: Partial<Pick<OneTimeTokenRecord, 'email' | 'userId' | 'orgId' | 'role' | 'createdBy'>>) {
    const token = newToken();
    const at = now().getTime();
    const record: OneTimeTokenRecord = {
      id: hashToken(token),
      purpose,
      email: fields.email ?? null,
      userId: fields.userId ?? null,
      orgId: fields.orgId ?? null,
      role: fields.role ?? null,
      createdBy: fields.createdBy ?? null,
      createdAt: iso(at),
      expiresAt: iso(at + TOKEN_TTL_MS[purpose]),
      usedAt: null,
    };
    await repo.insertToken(record);
    return { token, record };
  }

  const linkFor = (purpose: OneTimeTokenRecord['purpose'], token: string) =>
    `${publicUrl}/console/${purpose === 'password_reset' ? 'reset' : 'invitations'}/${token}`;

  /** A one-time link's record while it can still be used. */
  async function validToken(token: string, purposes: Array<OneTimeTokenRecord['purpose']>): Promise<OneTimeTokenRecord | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const record = await repo.tokenById(hashToken(token));
    if (!record || !purposes.includes(record.purpose) || record.usedAt !== null || record.expiresAt <= iso()) return undefined;
    return record;
  }

  async function audit(entry: Omit<AuditRecord, 'id' | 'at'>): Promise<void> {
    await repo.insertAudit({ ...entry, id: randomUUID(), at: iso() });
  }

  async function resolveMemberships(user: UserRecord, orgId: string | null) {
    const memberships = await repo.membershipsOf(user.id);
    return { memberships, current: memberships.find((m) => m.orgId === orgId) ?? memberships[0] };
  }

  return {
    audit,
    linkFor,

    /** An invitation to an organisation with a role: the one-time link (7 days), to be e-mailed. */
    async invite(input: { orgId: string; email: string; role: Role; by: string }): Promise<{ link: string; expiresAt: string; email: string }> {
      const email = normaliseEmail(input.email);
      const { token, record } = await issueToken('invitation', { email, orgId: input.orgId, role: input.role, createdBy: input.by });
      await audit({ orgId: input.orgId, actor: input.by, action: 'person.invited', subject: null, details: { role: input.role } });
      return { link: linkFor('invitation', token), expiresAt: record.expiresAt, email };
    },

    /** The first owner's link of an organisation with nobody in it yet (printed at first start, or by the CLI). */
    async firstOwnerLink(orgId: string, email?: string): Promise<{ link: string; expiresAt: string }> {
      const { token, record } = await issueToken('first_owner', { orgId, role: 'owner', createdBy: 'system', ...(email ? { email: normaliseEmail(email) } : {}) });
      return { link: linkFor('first_owner', token), expiresAt: record.expiresAt };
    },

    /** What an invitation link offers (organisation, role, e-mail), while it is valid. */
    invitation: (token: string) => validToken(token, ['invitation', 'first_owner']),
    passwordReset: (token: string) => validToken(token, ['password_reset']),

    /**
     * Accepts an invitation: a new person sets their name and password; someone who already has an
     * account joins the organisation (their password stays as it is and must be given).
     */
    async acceptInvitation(token: string, input: { email?: string; name?: string; password: string; language?: string }): Promise<UserRecord> {
      const record = await validToken(token, ['invitation', 'first_owner']);
      if (!record?.orgId || !record.role) throw new AppError('validation_failed', 'this link has expired or was already used');
      const email = record.email ?? (input.email ? normaliseEmail(input.email) : undefined);
      if (!email) throw new AppError('validation_failed', 'an e-mail address is required', [{ path: 'email', message: 'required' }]);
      const existing = await repo.userByEmail(email);
      if (existing?.passwordHash && !(await verifyPassword(existing.passwordHash, input.password))) {
        throw new AppError('validation_failed', 'this e-mail address already has an account: give its password to join', [{ path: 'password', message: 'wrong_password' }]);
      }
      const problem = existing?.passwordHash ? undefined : passwordProblem(input.password, email);
      if (problem) throw new AppError('validation_failed', `the password is not acceptable (${problem})`, [{ path: 'password', message: problem }]);
      const passwordHash = existing?.passwordHash ? undefined : await hashPassword(input.password);
      const at = iso();
      const user = await storage.transaction(async (tx) => {
        if (!(await tx.accounts.useToken(record.id, at))) throw new AppError('validation_failed', 'this link has expired or was already used');
        let person = existing;
        if (!person) {
          person = { id: randomUUID(), email, name: input.name?.trim() || email, passwordHash: passwordHash!, language: input.language ?? 'en', createdAt: at, disabledAt: null };
          await tx.accounts.insertUser(person);
        } else if (passwordHash) {
          await tx.accounts.updateUser(person.id, { passwordHash, ...(input.name?.trim() ? { name: input.name.trim() } : {}) });
          person = { ...person, passwordHash };
        }
        await tx.accounts.setMembership({ userId: person.id, orgId: record.orgId!, role: record.role!, createdAt: at });
        await tx.accounts.insertAudit({ id: randomUUID(), orgId: record.orgId, actor: `user:${person.id}`, action: 'person.joined', subject: person.id, details: { role: record.role }, at });
        return person;
      });
      return user;
    },

    /** The account for an e-mail address and password, or undefined; as slow either way. */
    async signIn(emailInput: string, password: string): Promise<UserRecord | undefined> {
      const user = await repo.userByEmail(normaliseEmail(emailInput));
      if (!user?.passwordHash || user.disabledAt) {
        await verifyPassword(await decoyHash(), password);
        return undefined;
      }
      return (await verifyPassword(user.passwordHash, password)) ? user : undefined;
    },

    /** A reset link for an account, or undefined when there is none (the caller answers the same either way). */
    async requestPasswordReset(emailInput: string): Promise<{ link: string; expiresAt: string; user: UserRecord } | undefined> {
      const user = await repo.userByEmail(normaliseEmail(emailInput));
      if (!user || user.disabledAt) return undefined;
      const { token, record } = await issueToken('password_reset', { userId: user.id, email: user.email });
      return { link: linkFor('password_reset', token), expiresAt: record.expiresAt, user };
    },

    /** Sets a new password from a reset link; every session of the account ends. */
    async resetPassword(token: string, password: string): Promise<UserRecord> {
      const record = await validToken(token, ['password_reset']);
      const user = record?.userId ? await repo.userById(record.userId) : undefined;
      if (!record || !user) throw new AppError('validation_failed', 'this link has expired or was already used');
      const problem = passwordProblem(password, user.email);
      if (problem) throw new AppError('validation_failed', `the password is not acceptable (${problem})`, [{ path: 'password', message: problem }]);
      const passwordHash = await hashPassword(password);
      await storage.transaction(async (tx) => {
        if (!(await tx.accounts.useToken(record.id, iso()))) throw new AppError('validation_failed', 'this link has expired or was already used');
        await tx.accounts.updateUser(user.id, { passwordHash });
        await tx.accounts.deleteSessionsOf(user.id);
      });
      return user;
    },

    /** Starts a session: the cookie's token (shown once) and its record. */
    async startSession(user: UserRecord): Promise<{ token: string; session: SessionRecord }> {
      const token = newToken();
      const at = now().getTime();
      const { current } = await resolveMemberships(user, null);
      const session: SessionRecord = { id: hashToken(token), userId: user.id, orgId: current?.orgId ?? null, createdAt: iso(at), lastSeenAt: iso(at), expiresAt: iso(Math.min(at + SESSION_IDLE_MS, at + SESSION_MAX_MS)) };
      await repo.insertSession(session);
      return { token, session };
    },

    /** The signed-in person behind a session cookie, or undefined; a session in use is kept alive. */
    async resolveSession(token: string): Promise<SignedIn | undefined> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const session = await repo.sessionById(hashToken(token));
      const at = now().getTime();
      if (!session || Date.parse(session.expiresAt) <= at) return undefined;
      const user = await repo.userById(session.userId);
      if (!user || user.disabledAt) return undefined;
      if (at - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) {
        const expiresAt = iso(Math.min(at + SESSION_IDLE_MS, Date.parse(session.createdAt) + SESSION_MAX_MS));
        await repo.touchSession(session.id, iso(at), expiresAt);
      }
      return { session, user, ...(await resolveMemberships(user, session.orgId)) };
    },

    endSession: (token: string) => repo.deleteSession(hashToken(token)),

    /** Switches the organisation a session works in; only to one the person belongs to. */
    async switchOrganisation(signedIn: SignedIn, orgId: string): Promise<void> {
      if (!signedIn.memberships.some((m) => m.orgId === orgId)) throw new AppError('not_found', 'you do not belong to that organisation');
      await repo.setSessionOrg(signedIn.session.id, orgId);
    },

    members: (orgId: string) => repo.membersOf(orgId),
    setLanguage: (userId: string, language: string) => repo.updateUser(userId, { language }),
    pendingInvitations: (orgId: string) => repo.pendingInvitations(orgId, iso()),

    /** Changes a person's role; an organisation always keeps an owner. */
    async setRole(orgId: string, userId: string, role: Role, by: string): Promise<void> {
      const members = await repo.membersOf(orgId);
      const member = members.find((m) => m.userId === userId);
      if (!member) throw new AppError('not_found', 'that person is not in this organisation');
      if (member.role === 'owner' && role !== 'owner' && members.filter((m) => m.role === 'owner').length === 1) {
        throw new AppError('validation_failed', 'an organisation needs at least one owner');
      }
      await repo.setMembership({ ...member, role });
      await audit({ orgId, actor: by, action: 'person.role_changed', subject: userId, details: { role } });
    },

    async removeMember(orgId: string, userId: string, by: string): Promise<void> {
      const members = await repo.membersOf(orgId);
      const member = members.find((m) => m.userId === userId);
      if (!member) throw new AppError('not_found', 'that person is not in this organisation');
      if (member.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1) {
        throw new AppError('validation_failed', 'an organisation needs at least one owner');
      }
      await repo.removeMembership(userId, orgId);
      await audit({ orgId, actor: by, action: 'person.removed', subject: userId, details: null });
    },

    auditOf: (orgId: string, query: { limit: number; before?: { at: string; id: string } }) => repo.auditOf(orgId, query),

    /** A person made directly (the CLI's first owner, tests): with a password, in an organisation. */
    async createUser(input: { email: string; name: string; password: string; orgId: string; role: Role; language?: string }): Promise<UserRecord> {
      const email = normaliseEmail(input.email);
      const problem = passwordProblem(input.password, email);
      if (problem) throw new AppError('validation_failed', `the password is not acceptable (${problem})`, [{ path: 'password', message: problem }]);
      const at = iso();
      const user: UserRecord = { id: randomUUID(), email, name: input.name, passwordHash: await hashPassword(input.password), language: input.language ?? 'en', createdAt: at, disabledAt: null };
      try {
        await storage.transaction(async (tx) => {
          await tx.accounts.insertUser(user);
          await tx.accounts.setMembership({ userId: user.id, orgId: input.orgId, role: input.role, createdAt: at });
        });
      } catch (e) {
        if (isStorageError(e, 'conflict')) throw new AppError('validation_failed', 'this e-mail address already has an account', [{ path: 'email', message: 'taken' }]);
        throw e;
      }
      return user;
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
