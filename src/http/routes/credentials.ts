import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { createAwardedTranslations } from '../../badge-classes/awarded-texts.js';
import { createCertificateStore } from '../../certificate/certificate-store.js';
import { badgeClassSlugOf, bakeStoredCredential } from '../../credentials/baked-badge.js';
import { buildElmCredential, europassIssuer } from '../../credentials/elm.js';
import { linkedInAddToProfileUrl } from '../../credentials/linkedin.js';
import type { OpenedCredential, StoredCredential } from '../../credentials/issuance.js';
import type { VerificationReport } from '../../verify/report.js';
import { AppError } from '../../errors/errors.js';
import { renderCredentialPage, renderErasedPage, type CredentialPageModel, type EndorsementLine, type Entitlement } from '../../pages/credential-page.js';
import type { Language } from '../../badge-classes/schema.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { jsonBody } from '../body.js';
import { sendPage } from '../pages.js';

const PAGE_REPORT_TTL_MS = 10 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Public credential URLs. `GET /credentials/{id}` serves the signed credential byte-exact as issued
 * (or, to a browser, the page an employer reads); `/credentials/{id}.jwt` or `Accept: application/vc+jwt`
 * serves its VC-JWT; `/credentials/{id}/badge.png|svg` the image baked with it (OB 3.0 §5.3);
 * `/credentials/{id}/certificate.pdf` a printable certificate of it.
 */
export function createCredentialsRouter(ctx: AppContext): Router {
  const router = Router();
  const { publicUrl } = ctx.config;
  /**
   * Baked images, per process and bounded (64 MiB, least recently used first out). A credential is
   * stored once and the badge class images are read at start-up; what may change is the credential's
   * erasure, which `open` reads before any copy is served, and which drops the copies (`forget`).
   */
  const certificates = createCertificateStore(ctx);
  const bakedImages = new LRUCache<string, { bytes: Buffer; etag: string; contentType: string; filename: string }>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (b) => Math.max(1, b.bytes.length) });

  /** The credential and its state, read on every request (`issuance.open`); an erased one is `credential_erased`, and this process's copies of it go. */
  const open = async (id: string): Promise<OpenedCredential> => {
    if (!UUID.test(id)) throw new AppError('credential_not_found', `no credential "${id}"`);
    try {
      return await ctx.issuance.open(id);
    } catch (e) {
      if (e instanceof AppError && e.code === 'credential_erased') forget(id);
      throw e;
    }
  };
  // A credential may be erased: clients and shared caches ask again each time (a 304 while it is the same).
  const REVALIDATE = 'no-cache';
  // Signed the first time it is asked for (issuance signs only the embedded proof unless told otherwise).
  const sendJwt = async (res: Response, stored: StoredCredential) => res.type('application/vc+jwt').set('Cache-Control', REVALIDATE).send(await ctx.issuance.jwtOf(stored));
  // RFC 5829: a replaced credential names the one that corrects it.
  const linkSuccessor = (res: Response, { state }: OpenedCredential) => {
    const successor = state.replacedBy ?? state.renewedBy;
    if (successor) res.set('Link', `<${publicUrl}/credentials/${successor}>; rel="successor-version"`);
  };
  const baking = { catalog: ctx.catalog, images: ctx.images, jwtOf: (stored: StoredCredential) => ctx.issuance.jwtOf(stored) };
  /** Counted in memory per badge class (usage/usage.ts): no database write here, and nothing about who asked. */
  /**
   * Counts a view or a download of the credential; a download is also its learner taking it, noted
   * (as a time, nothing more) the first time, so the console can say how many badges were claimed.
   */
  const count = (req: Request, { stored, state }: OpenedCredential, metric: 'views' | 'downloads') => {
    const counted = ctx.usage.record({ method: req.method, userAgent: req.get('user-agent') }, stored, metric);
    if (counted && metric === 'downloads' && !state.claimedAt) {
      ctx.storage.credentials.markClaimed(stored.id, ctx.now().toISOString()).catch((error: unknown) => ctx.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not note a badge as claimed'));
    }
  };

  /**
   * The page's verification of one of our own credentials, kept for a while: the document and our keys
   * do not change, and the state is read on every view (`open`) and is part of the key, so a revocation,
   * suspension or reinstatement made by any instance shows as soon as the state does. An entry lasts until the credential's validity
   * ends or 10 minutes pass, whichever is first; the page says when it was checked.
   */
  const pageReports = new LRUCache<string, { report: VerificationReport; checkedAt: Date; until: number; pages: Map<string, string> }>({ max: 2000 });

  /** Drops this process's copies of an erased credential: baked images, its certificate, its pages. */
  function forget(id: string): void {
    for (const format of ['png', 'svg']) for (const kind of ['json', 'jwt']) bakedImages.delete(`${id}:${format}:${kind}`);
    certificates.forget(id);
    for (const key of pageReports.keys()) if (key.startsWith(`${id}:`)) pageReports.delete(key);
  }
  async function pageVerification(id: string, credential: () => Record<string, unknown>, revokedAt: string | null, suspendedAt: string | null, renewedBy: string | null) {
    const key = `${id}:${revokedAt ?? ''}:${suspendedAt ?? ''}:${renewedBy ?? ''}`;
    const now = ctx.now();
    const cached = pageReports.get(key);
    if (cached && cached.until > now.getTime()) return cached;
    const document = credential();
    const report = await ctx.verifier.verify({ credential: document }, { format: 'json' });
    const validUntil = typeof document.validUntil === 'string' ? Date.parse(document.validUntil) : Number.POSITIVE_INFINITY;
    // The page in each language is a function of the credential, this report and the status: kept with them.
    const entry = { report, checkedAt: now, until: Math.min(now.getTime() + PAGE_REPORT_TTL_MS, validUntil), pages: new Map<string, string>() };
    pageReports.set(key, entry);
    return entry;
  }

  const europassIssuerOf = async (orgId: string) => {
    const org = await ctx.organisations.get(orgId);
    return org ? europassIssuer(org.profile) : undefined;
  };

  const ruleOf = (slug: string): Pick<CredentialPageModel, 'renewalRule'> | undefined => {
    const badgeClass = ctx.catalog.get(slug)?.badgeClass;
    return badgeClass && (badgeClass.validityPeriod || badgeClass.renewal) ? { renewalRule: { period: badgeClass.validityPeriod, method: badgeClass.renewal?.method } } : undefined;
  };

  /** How a credential relates to the one it renews and to the renewal that follows it. */
  async function renewalOf(state: OpenedCredential['state'], document: Record<string, unknown>): Promise<CredentialPageModel['renewal']> {
    const follows = state.renewedBy ? await ctx.issuance.get(state.renewedBy) : undefined;
    const renewedAt = follows?.document ? (JSON.parse(follows.document) as { validFrom?: unknown }).validFrom : undefined;
    const renewedBy = state.renewedBy && typeof renewedAt === 'string' ? { url: `${publicUrl}/credentials/${state.renewedBy}`, at: renewedAt } : undefined;
    const renews = state.renews ? { url: `${publicUrl}/credentials/${state.renews}`, awardedDate: String(document.awardedDate ?? document.validFrom ?? '') } : undefined;
    return renewedBy || renews ? { ...(renewedBy ? { renewedBy } : {}), ...(renews ? { renews } : {}) } : undefined;
  }

  /** Who defined the badge, how its issuer may award it, and the endorsements in force of the badge class and of the issuer. */
  async function entitlementOf(issuerId: string, slug: string, lang: Language): Promise<Entitlement | undefined> {
    const entry = ctx.catalog.get(slug);
    const issuer = await ctx.organisations.get(issuerId);
    if (!entry || !issuer) return undefined;
    const owner = entry.orgId === issuerId ? issuer : await ctx.organisations.get(entry.orgId);
    const lines = (documents: Array<Record<string, unknown>>): EndorsementLine[] =>
      documents.map((d) => ({
        by: String((d.issuer as { name?: unknown } | undefined)?.name ?? ''),
        comment: String((d.credentialSubject as { endorsementComment?: unknown } | undefined)?.endorsementComment ?? ''),
        date: String(d.validFrom ?? ''),
        url: String(d.id ?? ''),
      }));
    return {
      issuer: issuer.issuer(lang).name,
      owner: owner?.issuer(lang).name ?? '',
      // Said only as it stands now: a permission withdrawn since the award is not claimed.
      how: entry.orgId === issuerId ? 'own' : entry.awarders.includes(issuerId) ? 'allowed' : entry.shared ? 'shared' : 'unknown',
      badge: lines(await ctx.endorsements.of({ badgeClass: slug })),
      issuerEndorsements: lines(await ctx.endorsements.of({ orgId: issuerId })),
    };
  }

  /** The badge's texts in the reader's language, from the version it was awarded with (the signed text stays as signed). */
  const translations = createAwardedTranslations({ repo: ctx.storage.badgeClasses, publicUrl, now: ctx.now });

  async function sendPageFor(req: Request, res: Response, { stored, state: status }: OpenedCredential, email?: string): Promise<void> {
    const lang = negotiateLanguage(req.query.lang ?? (req.body as { lang?: unknown } | undefined)?.lang, req.get('accept-language'));
    let parsed: Record<string, unknown> | undefined;
    const credential = () => (parsed ??= JSON.parse(stored.document) as Record<string, unknown>);
    const entry = email ? undefined : await pageVerification(stored.id, credential, status.revokedAt, status.suspendedAt, status.renewedBy);
    const ready = entry?.pages.get(lang);
    if (ready) return sendPage(res, ready, lang);
    const { report, checkedAt } = entry ?? { report: await ctx.verifier.verify({ credential: credential() }, { format: 'json', email }), checkedAt: ctx.now() };
    const base = `${publicUrl}/credentials/${stored.id}`;
    const slug = badgeClassSlugOf(credential());
    const translation = await translations.translate(credential(), lang);
    const entitlement = await entitlementOf(stored.orgId, stored.badgeClass, lang);
    const renewal = await renewalOf(status, credential());
    const html = renderCredentialPage(
      {
        credential: credential(),
        report,
        ...(status.revokedAt ? { revocation: { revokedAt: status.revokedAt, ...(status.reasonPublic && status.reason ? { reason: status.reason } : {}) } } : {}),
        ...(status.suspendedAt && !status.revokedAt ? { suspension: { suspendedAt: status.suspendedAt } } : {}),
        ...(status.replacedBy && status.revokedAt ? { replacement: { url: `${publicUrl}/credentials/${status.replacedBy}`, at: status.revokedAt } } : {}),
        ...(renewal ? { renewal } : {}),
        ...(ruleOf(stored.badgeClass) ?? {}),
        urls: {
          page: base,
          png: `${base}/badge.png`,
          svg: `${base}/badge.svg`,
          json: `${base}.json`,
          jwt: `${base}.jwt`,
          image: `${publicUrl}/achievements/${slug}/image.png`,
          verify: `${publicUrl}/verify`,
          certificate: `${base}/certificate.pdf`,
          ...((await europassIssuerOf(stored.orgId)) ? { elm: `${base}/elm.json` } : {}),
        },
        // Through our address, which counts it and sends the browser on to LinkedIn.
        linkedInUrl: `${base}/linkedin`,
        now: checkedAt,
        ...(translation ? { translation } : {}),
        ...(entitlement ? { entitlement } : {}),
        ...(email ? { recipientCheck: { email, matched: report.checks.some((c) => c.id === 'recipient' && c.status === 'passed') } } : {}),
      },
      lang,
    );
    entry?.pages.set(lang, html);
    sendPage(res, html, lang);
  }

  router.get('/credentials/:file', async (req, res) => {
    const [, id = '', ext] = /^(.*?)(?:\.(json|jwt))?$/.exec(req.params.file) ?? [];
    const opened = await open(id);
    const { stored } = opened;
    res.vary('Accept');
    linkSuccessor(res, opened);
    // The .json and .jwt addresses are the page's download links; content negotiation on the bare
    // address is how wallets and verifiers dereference the id, and is not counted.
    if (ext) count(req, opened, 'downloads');
    if (ext === 'jwt') return sendJwt(res, stored);
    if (ext === 'json') return res.type('application/json').set('Cache-Control', REVALIDATE).send(stored.document);
    const preferred = req.accepts(['application/ld+json', 'application/json', 'application/vc+ld+json', 'application/vc+jwt', 'application/jwt', 'text/html']);
    if (preferred === 'text/html') {
      count(req, opened, 'views');
      return sendPageFor(req, res, opened);
    }
    if (preferred === 'application/vc+jwt' || preferred === 'application/jwt') return sendJwt(res, stored);
    if (preferred === false) throw new AppError('not_acceptable', 'this credential is available as application/ld+json, application/json, application/vc+jwt or text/html');
    return res.type(preferred).set('Cache-Control', REVALIDATE).send(stored.document);
  });

  // The recipient check (OB 3.0 §9.1 step 5) is a POST: an e-mail address never travels in a URL.
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  const json = jsonBody('4kb');
  const formOrJson: RequestHandler = (req, res, next) => (req.is('application/x-www-form-urlencoded') ? form(req, res, next) : json(req, res, next));
  router.post('/credentials/:id/recipient-check', formOrJson, async (req, res) => {
    const opened = await open(String(req.params.id));
    const { stored } = opened;
    const raw = (req.body as { email?: unknown } | undefined)?.email;
    const email = typeof raw === 'string' ? raw.trim().slice(0, 320) : '';
    if (!email) throw new AppError('validation_failed', 'an e-mail address is required', [{ path: 'email', message: '"email" is required' }]);
    if (req.accepts(['application/json', 'text/html']) === 'text/html') return sendPageFor(req, res, opened, email);
    const credential = JSON.parse(stored.document) as Record<string, unknown>;
    const report = await ctx.verifier.verify({ credential }, { format: 'json', email });
    const check = report.checks.find((c) => c.id === 'recipient');
    res.json({ matched: check?.status === 'passed', code: check?.code });
  });

  router.get('/credentials/:id/badge.:format', async (req, res) => {
    const { format } = req.params;
    if (format !== 'png' && format !== 'svg') throw new AppError('not_found', `no badge format "${format}"`);
    const opened = await open(req.params.id);
    const { stored } = opened;
    // ?format=jwt bakes the compact JWS (VC-JWT) instead of the JSON with its embedded proof.
    const asJwt = req.query.format === 'jwt';
    // A stored credential never changes, nor does the catalog while the process runs: bake once, with
    // its ETag (hashed once, not on every download).
    const cacheKey = `${stored.id}:${format}:${asJwt ? 'jwt' : 'json'}`;
    let baked = bakedImages.get(cacheKey);
    if (!baked) {
      const { bytes, contentType, filename } = await bakeStoredCredential(baking, stored, format, asJwt);
      const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
      baked = { bytes, etag, contentType, filename };
      bakedImages.set(cacheKey, baked);
    }
    count(req, opened, 'downloads');
    res
      .type(baked.contentType)
      .set('Content-Disposition', `attachment; filename="${baked.filename}"`)
      .set('Cache-Control', REVALIDATE)
      .set('ETag', baked.etag)
      .send(baked.bytes);
  });

  router.get('/credentials/:id/certificate.pdf', async (req, res) => {
    // Checked on every request, before the kept file: a revocation, suspension or erasure by any instance shows as soon as the state does.
    const opened = await open(req.params.id);
    const { stored, state } = opened;
    const revokedAt = state.revokedAt;
    if (revokedAt) throw new AppError('credential_revoked', `this badge was revoked by its issuer on ${revokedAt.slice(0, 10)}; it is no longer valid, so it has no certificate`);
    if (state.suspendedAt) throw new AppError('credential_suspended', `this badge was suspended by its issuer on ${state.suspendedAt.slice(0, 10)}; it is not valid while it is suspended, so it has no certificate until it is reinstated`);
    const pdf = await certificates.get(stored);
    if (!pdf) throw new AppError('credential_not_found', `credential "${stored.id}" has no public address to print`);
    count(req, opened, 'downloads');
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="${pdf.filename}"`)
      // Asked again each time (a 304 while unchanged), so a revoked or suspended badge's certificate is not kept by caches.
      .set('Cache-Control', 'no-cache')
      .set('ETag', pdf.etag)
      .send(pdf.bytes);
  });

  // For Europass: the same award as a European Digital Credential (ELM 3), built from the stored credential.
  router.get('/credentials/:id/elm.json', async (req, res) => {
    const opened = await open(req.params.id);
    const { stored, state } = opened;
    if (state.revokedAt) throw new AppError('credential_revoked', `this badge was revoked by its issuer on ${state.revokedAt.slice(0, 10)}; it is no longer valid, so it is not exported`);
    if (state.suspendedAt) throw new AppError('credential_suspended', `this badge was suspended by its issuer on ${state.suspendedAt.slice(0, 10)}; it is not exported while it is suspended`);
    const issuer = await europassIssuerOf(stored.orgId);
    if (!issuer) throw new AppError('europass_unavailable', 'the issuing organisation has not given its country and a legal identifier, which a European Digital Credential must state; it can add them in its settings');
    const image = await bakeStoredCredential(baking, stored, 'png', false);
    const credential = JSON.parse(stored.document) as Record<string, unknown>;
    const elm = buildElmCredential({ credential, id: stored.id, url: `${publicUrl}/credentials/${stored.id}`, issuer, image: image.bytes });
    count(req, opened, 'downloads');
    res
      .type('application/ld+json')
      .set('Content-Disposition', `attachment; filename="${image.filename.replace(/\.png$/, '')}-europass.jsonld"`)
      .set('Cache-Control', REVALIDATE)
      .send(JSON.stringify(elm, null, 2));
  });

  // "Add to LinkedIn profile": counted as the learner taking the badge, then on to LinkedIn's form.
  router.get('/credentials/:id/linkedin', async (req, res) => {
    const opened = await open(req.params.id);
    const { stored } = opened;
    count(req, opened, 'downloads');
    res.set('Cache-Control', 'no-store').redirect(303, linkedInAddToProfileUrl(JSON.parse(stored.document) as Record<string, unknown>, stored.id));
  });

  // An erased credential's addresses answer 410: to a browser, a page in the reader's language that says so.
  router.use(((err, req, res, next) => {
    if (!(err instanceof AppError) || err.code !== 'credential_erased' || res.headersSent || !req.path.startsWith('/credentials/')) return next(err);
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next(err);
    const lang = negotiateLanguage(req.query.lang ?? (req.body as { lang?: unknown } | undefined)?.lang, req.get('accept-language'));
    const id = /^\/credentials\/([^/.]+)/.exec(req.path)?.[1] ?? '';
    sendPage(res.status(410), renderErasedPage(lang, { page: `${publicUrl}/credentials/${id}`, verify: `${publicUrl}/verify` }), lang);
  }) as ErrorRequestHandler);

  return router;
}
