import { stringify } from 'csv-stringify/sync';
import express, { Router, type Request, type Response } from 'express';
import { can } from '../../accounts/accounts.js';
import type { AppContext } from '../../app-context.js';
import { pick } from '../../badge-classes/achievement.js';
import type { AwardSearch } from '../../db/repositories.js';
import { AppError } from '../../errors/errors.js';
import { AWARD_STATES, deliveryName, renderAwards, stateName, stateOf } from '../../pages/console/awards-page.js';
import { CONSOLE_MESSAGES } from '../../pages/console/i18n.js';
import type { ConsoleFrame } from '../../pages/console/layout.js';
import { learnerKey } from '../../recipients/identity.js';
import { sendConsolePage as sendPage } from '../pages.js';
import { consoleCaller } from './award-routes.js';
import { consoleUserOf, requireConsole, type ConsoleSessions } from './session.js';

const PAGE = 50;
const EXPORT_MAX = 50_000;
const one = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const date = (v: string, end: boolean): string | undefined => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T${end ? '23:59:59' : '00:00:00'}Z` : undefined);

const isState = (v: string | undefined): v is (typeof AWARD_STATES)[number] => (AWARD_STATES as readonly string[]).includes(v ?? '');

/** Awarded badges in the console: find, suspend, reinstate, revoke, erase, export. */
export function createConsoleAwardsRouter(ctx: AppContext, sessions: ConsoleSessions, frameOf: (req: Request, res: Response) => ConsoleFrame): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });

  /** The filters of the page's query, and the search they make. */
  function searchOf(req: Request, orgId: string, limit: number): { filters: Record<string, string>; query: AwardSearch } {
    const filters = Object.fromEntries(['q', 'badgeClass', 'state', 'from', 'to'].map((k) => [k, one(req.query[k])]).filter(([, v]) => v !== '')) as Record<string, string>;
    const q = filters.q;
    const before = one(req.query.before);
    const cursor = /^[^|]{1,40}\|[\w-]{1,64}$/.test(before) ? before.split('|') : undefined;
    const query: AwardSearch = {
      now: ctx.now().toISOString(),
      limit,
      ...(q ? (q.includes('@') ? { learnerKey: learnerKey(ctx.secrets, orgId, q) } : { name: q.slice(0, 200) }) : {}),
      ...(filters.badgeClass ? { badgeClass: filters.badgeClass } : {}),
      ...(isState(filters.state) ? { state: filters.state } : {}),
      ...(filters.from && date(filters.from, false) ? { from: date(filters.from, false)! } : {}),
      ...(filters.to && date(filters.to, true) ? { to: date(filters.to, true)! } : {}),
      ...(cursor ? { after: { issuedAt: cursor[0]!, id: cursor[1]! } } : {}),
    };
    return { filters, query };
  }
  const queryString = (filters: Record<string, string>, extra: Record<string, string> = {}) => new URLSearchParams({ ...filters, ...extra }).toString();

  async function page(req: Request, res: Response, done?: string) {
    const frame = frameOf(req, res);
    const user = consoleUserOf(res);
    const { filters, query } = searchOf(req, user.current.orgId, PAGE + 1);
    const found = await ctx.storage.credentials.search(user.current.orgId, query);
    const rows = found.slice(0, PAGE);
    const delivery = new Map((await ctx.storage.outbox.deliveryOf(rows.map((r) => r.id))).map((d) => [d.credentialId, d]));
    const last = rows.at(-1);
    sendPage(
      res,
      renderAwards(frame, {
        filters,
        rows,
        delivery,
        classes: [...new Map([...ctx.catalog.ownedBy(user.current.orgId), ...ctx.catalog.awardableBy(user.current.orgId)].map((e) => [e.badgeClass.slug, e])).values()],
        now: query.now,
        publicUrl: ctx.config.publicUrl,
        exportHref: `/console/awards.csv?${queryString(filters)}`,
        canRevoke: can(user.current.role, 'revoke'),
        canSuspend: can(user.current.role, 'suspend'),
        canAward: can(user.current.role, 'award'),
        canErase: can(user.current.role, 'erase'),
        ...(found.length > PAGE && last ? { olderHref: `/console/awards?${queryString(filters, { before: `${last.issuedAt}|${last.id}` })}` } : {}),
        ...(done ? { done } : {}),
      }),
      frame.lang,
    );
  }

  router.get('/awards', requireConsole(sessions), (req, res) => page(req, res));

  router.post('/awards/:id/revoke', form, requireConsole(sessions, 'revoke'), async (req, res) => {
    const user = consoleUserOf(res);
    const reason = one((req.body as Record<string, unknown>).reason).slice(0, 500);
    if (!reason) throw new AppError('validation_failed', 'a reason is required', [{ path: 'reason', message: 'required' }]);
    const id = String(req.params.id);
    await ctx.status.revoke(id, user.current.orgId, { reason, publishReason: (req.body as Record<string, unknown>).publishReason === '1' });
    await ctx.accounts.audit({ orgId: user.current.orgId, actor: `user:${user.user.id}`, action: 'credential.revoked', subject: id, details: null });
    await page(req, res, CONSOLE_MESSAGES[frameOf(req, res).lang].revoked);
  });

  router.post('/awards/:id/suspend', form, requireConsole(sessions, 'suspend'), async (req, res) => {
    const user = consoleUserOf(res);
    const reason = one((req.body as Record<string, unknown>).reason).slice(0, 500);
    if (!reason) throw new AppError('validation_failed', 'a reason is required', [{ path: 'reason', message: 'required' }]);
    const id = String(req.params.id);
    await ctx.status.suspend(id, user.current.orgId, { reason });
    await ctx.accounts.audit({ orgId: user.current.orgId, actor: `user:${user.user.id}`, action: 'credential.suspended', subject: id, details: null });
    await page(req, res, CONSOLE_MESSAGES[frameOf(req, res).lang].suspendedDone);
  });

  router.post('/awards/:id/reinstate', form, requireConsole(sessions, 'suspend'), async (req, res) => {
    const user = consoleUserOf(res);
    const id = String(req.params.id);
    await ctx.status.reinstate(id, user.current.orgId);
    await ctx.accounts.audit({ orgId: user.current.orgId, actor: `user:${user.user.id}`, action: 'credential.reinstated', subject: id, details: null });
    await page(req, res, CONSOLE_MESSAGES[frameOf(req, res).lang].reinstatedDone);
  });

  router.post('/awards/:id/erase', form, requireConsole(sessions, 'erase'), async (req, res) => {
    await ctx.erasure.erase(consoleCaller(res), String(req.params.id), `user:${consoleUserOf(res).user.id}`);
    await page(req, res, CONSOLE_MESSAGES[frameOf(req, res).lang].erased);
  });

  /** The list as CSV (the filters of the page; never a learner's address, which is not kept). */
  router.get('/awards.csv', requireConsole(sessions), async (req, res) => {
    const frame = frameOf(req, res);
    const t = CONSOLE_MESSAGES[frame.lang];
    const user = consoleUserOf(res);
    const { query } = searchOf(req, user.current.orgId, EXPORT_MAX);
    const rows = await ctx.storage.credentials.search(user.current.orgId, query);
    const delivery = new Map((await ctx.storage.outbox.deliveryOf(rows.map((r) => r.id))).map((d) => [d.credentialId, d]));
    const name = (slug: string) => {
      const entry = ctx.catalog.get(slug);
      return entry ? pick(entry.badgeClass.name, frame.lang) : slug;
    };
    const csv = stringify(
      rows.map((r) => {
        const state = stateOf(r, query.now);
        return [r.id, `${ctx.config.publicUrl}/credentials/${r.id}`, r.recipientName ?? '', r.badgeClass, name(r.badgeClass), r.language, r.issuedAt, r.validUntil ?? '', stateName(t, state), state, r.revokedAt ?? '', r.suspendedAt ?? '', deliveryName(t, delivery.get(r.id))];
      }),
      { header: true, columns: ['id', 'url', t.name, 'badge_class', t.badgeClass, 'language', t.awardsAwarded, t.awardValidUntil, t.status, 'state', 'revoked_at', 'suspended_at', t.awardsDelivery] },
    );
    await ctx.accounts.audit({ orgId: user.current.orgId, actor: `user:${user.user.id}`, action: 'awards.exported', subject: null, details: { rows: rows.length } });
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="awards.csv"')
      .set('Cache-Control', 'no-store')
      // A byte-order mark, so that spreadsheet programs read the accents right.
      .send(`\uFEFF${csv}`);
  });

  return router;
}
