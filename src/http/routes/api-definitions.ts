import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError, type ErrorCode } from '../../errors/errors.js';
import { ALL_BADGE_CLASSES, type Caller } from '../../organisations/api-keys.js';
import { callerOf } from '../auth.js';
import { jsonBody } from '../body.js';
import { expectedVersion } from './api-badge-classes.js';

/** A kind of definition an organisation keeps whole (a pathway, a framework), as its API serves it. */
export interface DefinitionKind<E extends { orgId: string; version: number; archived: boolean }, T extends { slug: string }> {
  /** Singular and plural, for messages and paths: "pathway", "pathways". */
  what: string;
  plural: string;
  notFound: ErrorCode;
  bodyLimit: string;
  definitionOf(entry: E): T;
  get(slug: string): E | undefined;
  ownedBy(orgId: string): E[];
  check(orgId: string, raw: unknown): T;
  create(orgId: string, definition: T): Promise<E>;
  update(slug: string, definition: T, expectedVersion: number): Promise<E>;
  setArchived(slug: string, archived: boolean): Promise<void>;
  /** Its public page. */
  page(slug: string): string;
}

/**
 * `/api/v1/<plural>`: list, define, read, change (`If-Match`) and archive an organisation's
 * definitions. Any key of the organisation reads them; only a key for all its badge classes (`*`)
 * defines or changes one. Another organisation's is a 404. `own` finds one for further routes.
 */
export function createDefinitionRoutes<E extends { orgId: string; version: number; archived: boolean }, T extends { slug: string }>(
  ctx: AppContext,
  kind: DefinitionKind<E, T>,
): { router: Router; own(caller: Caller, slug: string): E } {
  const router = Router();
  const by = (caller: Caller) => `api-key:${caller.apiKeyId}`;
  const slugOf = (req: Request) => String(req.params.slug);

  function own(caller: Caller, slug: string): E {
    const entry = kind.get(slug);
    if (!entry || entry.orgId !== caller.org.id) throw new AppError(kind.notFound, `no ${kind.what} "${slug}"`);
    return entry;
  }
  function mayChange(caller: Caller): void {
    if (!caller.badgeClasses.includes(ALL_BADGE_CLASSES)) throw new AppError('forbidden', `only an API key for all of the organisation's badge classes may define or change its ${kind.plural}; this one is scoped to some`);
  }
  const resource = (entry: E) => {
    const definition = kind.definitionOf(entry);
    return { slug: definition.slug, version: entry.version, archived: entry.archived, page: kind.page(definition.slug), definition };
  };
  const send = (res: Response, entry: E, status = 200) => res.status(status).set('ETag', `"${entry.version}"`).json(resource(entry));
  const audit = (caller: Caller, action: string, subject: string, details: Record<string, unknown> | null = null) =>
    ctx.accounts.audit({ orgId: caller.org.id, actor: by(caller), action: `${kind.what}.${action}`, subject, details });

  router.get('/', (_req, res) => {
    res.json({ items: kind.ownedBy(callerOf(res).org.id).map(resource) });
  });

  router.post('/', jsonBody(kind.bodyLimit), async (req, res) => {
    const caller = callerOf(res);
    mayChange(caller);
    const definition = kind.check(caller.org.id, req.body);
    const entry = await kind.create(caller.org.id, definition);
    await audit(caller, 'created', definition.slug);
    res.location(`${ctx.config.publicUrl}/api/v1/${kind.plural}/${definition.slug}`);
    send(res, entry, 201);
  });

  router.get('/:slug', (req, res) => {
    send(res, own(callerOf(res), slugOf(req)));
  });

  router.put('/:slug', jsonBody(kind.bodyLimit), async (req, res) => {
    const caller = callerOf(res);
    const slug = slugOf(req);
    own(caller, slug);
    mayChange(caller);
    const expected = expectedVersion(req, kind.what);
    const definition = kind.check(caller.org.id, req.body);
    if (definition.slug !== slug) throw new AppError('validation_failed', `"slug" must be "${slug}", the ${kind.what}'s in the path`, [{ path: 'slug', message: `must be "${slug}"` }]);
    const entry = await kind.update(slug, definition, expected);
    await audit(caller, 'changed', slug, { version: entry.version });
    send(res, entry);
  });

  for (const [path, archived] of [['archive', true], ['unarchive', false]] as const) {
    router.post(`/:slug/${path}`, async (req, res) => {
      const caller = callerOf(res);
      const slug = slugOf(req);
      own(caller, slug);
      mayChange(caller);
      await kind.setArchived(slug, archived);
      await audit(caller, `${path}d`, slug);
      send(res, kind.get(slug)!);
    });
  }

  return { router, own };
}
