import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { createAwardedTranslations } from '../../badge-classes/awarded-texts.js';
import { createCertificateStore } from '../../certificate/certificate-store.js';
import { badgeClassSlugOf, bakeStoredCredential } from '../../credentials/baked-badge.js';
import { linkedInAddToProfileUrl } from '../../credentials/linkedin.js';
import type { StoredCredential } from '../../credentials/issuance.js';
import type { VerificationReport } from '../../verify/report.js';
import { AppError } from '../../errors/errors.js';
import { renderCredentialPage } from '../../pages/credential-page.js';
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
   * Baked images, per process and bounded (64 MiB, least recently used first out). Nothing in them can
   * go stale: a credential is stored once, and the badge class images are read at start-up.
   */
  const bakedImages = new LRUCache<string, { bytes: Buffer; etag: string; contentType: string; filename: string }>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (b) => Math.max(1, b.bytes.length) });

  const load = async (id: string): Promise<StoredCredential> => {
    const stored = UUID.test(id) ? await ctx.issuance.get(id) : undefined;
    if (!stored) throw new AppError('credential_not_found', `no credential "${id}"`);
    return stored;
  };
  // A stored credential never changes (its status lives in the status list): clients may keep it.
  const IMMUTABLE = 'public, max-age=31536000, immutable';
  // Signed the first time it is asked for (issuance signs only the embedded proof unless told otherwise).
  const sendJwt = async (res: Response, stored: StoredCredential) => res.type('application/vc+jwt').set('Cache-Control', IMMUTABLE).send(await ctx.issuance.jwtOf(stored));
  const baking = { catalog: ctx.catalog, images: ctx.images, jwtOf: (stored: StoredCredential) => ctx.issuance.jwtOf(stored) };
  /** Counted in memory per badge class (usage/usage.ts): no database write here, and nothing about who asked. */
  const count = (req: Request, stored: StoredCredential, metric: 'views' | 'downloads') => ctx.usage.record({ method: req.method, userAgent: req.get('user-agent') }, stored, metric);

  /**
   * The page's verification of one of our own credentials, kept for a while: the document and our keys
   * do not change, and the status is read from the database on every view and is part of the key, so
   * a revocation made by any instance shows at once. An entry lasts until the credential's validity
   * ends or 10 minutes pass, whichever is first; the page says when it was checked.
   */
  const pageReports = new LRUCache<string, { report: VerificationReport; checkedAt: Date; until: number; pages: Map<string, string> }>({ max: 2000 });
  async function pageVerification(id: string, credential: () => Record<string, unknown>, revokedAt: string | null) {
    const key = `${id}:${revokedAt ?? ''}`;
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

  /** The badge's texts in the reader's language, from the version it was awarded with (the signed text stays as signed). */
  const translations = createAwardedTranslations({ repo: ctx.storage.badgeClasses, publicUrl, now: ctx.now });

  async function sendPageFor(req: Request, res: Response, stored: StoredCredential, email?: string): Promise<void> {
    const lang = negotiateLanguage(req.query.lang ?? (req.body as { lang?: unknown } | undefined)?.lang, req.get('accept-language'));
    let parsed: Record<string, unknown> | undefined;
    const credential = () => (parsed ??= JSON.parse(stored.document) as Record<string, unknown>);
    const status = await ctx.status.statusOf(stored.id);
    const entry = email ? undefined : await pageVerification(stored.id, credential, status?.revokedAt ?? null);
    const ready = entry?.pages.get(lang);
    if (ready) return sendPage(res, ready, lang);
    const { report, checkedAt } = entry ?? { report: await ctx.verifier.verify({ credential: credential() }, { format: 'json', email }), checkedAt: ctx.now() };
    const base = `${publicUrl}/credentials/${stored.id}`;
    const slug = badgeClassSlugOf(credential());
    const translation = await translations.translate(credential(), lang);
    const html = renderCredentialPage(
      {
        credential: credential(),
        report,
        ...(status?.revokedAt ? { revocation: { revokedAt: status.revokedAt, ...(status.reasonPublic && status.reason ? { reason: status.reason } : {}) } } : {}),
        urls: {
          page: base,
          png: `${base}/badge.png`,
          svg: `${base}/badge.svg`,
          json: `${base}.json`,
          jwt: `${base}.jwt`,
          image: `${publicUrl}/achievements/${slug}/image.png`,
          verify: `${publicUrl}/verify`,
          certificate: `${base}/certificate.pdf`,
        },
        // Through our address, which counts it and sends the browser on to LinkedIn.
        linkedInUrl: `${base}/linkedin`,
        now: checkedAt,
        ...(translation ? { translation } : {}),
        ...(email ? { recipientCheck: { email, matched: report.checks.some((c) => c.id === 'recipient' && c.status === 'passed') } } : {}),
      },
      lang,
    );
    entry?.pages.set(lang, html);
    sendPage(res, html, lang);
  }

  router.get('/credentials/:file', async (req, res) => {
    const [, id = '', ext] = /^(.*?)(?:\.(json|jwt))?$/.exec(req.params.file) ?? [];
    const stored = await load(id);
    res.vary('Accept');
    // The .json and .jwt addresses are the page's download links; content negotiation on the bare
    // address is how wallets and verifiers dereference the id, and is not counted.
    if (ext) count(req, stored, 'downloads');
    if (ext === 'jwt') return sendJwt(res, stored);
    if (ext === 'json') return res.type('application/json').set('Cache-Control', IMMUTABLE).send(stored.document);
    const preferred = req.accepts(['application/ld+json', 'application/json', 'application/vc+ld+json', 'application/vc+jwt', 'application/jwt', 'text/html']);
    if (preferred === 'text/html') {
      count(req, stored, 'views');
      return sendPageFor(req, res, stored);
    }
    if (preferred === 'application/vc+jwt' || preferred === 'application/jwt') return sendJwt(res, stored);
    if (preferred === false) throw new AppError('not_acceptable', 'this credential is available as application/ld+json, application/json, application/vc+jwt or text/html');
    return res.type(preferred).set('Cache-Control', IMMUTABLE).send(stored.document);
  });

  // The recipient check (OB 3.0 §9.1 step 5) is a POST: an e-mail address never travels in a URL.
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  const json = jsonBody('4kb');
  const formOrJson: RequestHandler = (req, res, next) => (req.is('application/x-www-form-urlencoded') ? form(req, res, next) : json(req, res, next));
  router.post('/credentials/:id/recipient-check', formOrJson, async (req, res) => {
    const stored = await load(String(req.params.id));
    const raw = (req.body as { email?: unknown } | undefined)?.email;
    const email = typeof raw === 'string' ? raw.trim().slice(0, 320) : '';
    if (!email) throw new AppError('validation_failed', 'an e-mail address is required', [{ path: 'email', message: '"email" is required' }]);
    if (req.accepts(['application/json', 'text/html']) === 'text/html') return sendPageFor(req, res, stored, email);
    const credential = JSON.parse(stored.document) as Record<string, unknown>;
    const report = await ctx.verifier.verify({ credential }, { format: 'json', email });
    const check = report.checks.find((c) => c.id === 'recipient');
    res.json({ matched: check?.status === 'passed', code: check?.code });
  });

  router.get('/credentials/:id/badge.:format', async (req, res) => {
    const { format } = req.params;
    if (format !== 'png' && format !== 'svg') throw new AppError('not_found', `no badge format "${format}"`);
    const stored = await load(req.params.id);
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
    count(req, stored, 'downloads');
    res
      .type(baked.contentType)
      .set('Content-Disposition', `attachment; filename="${baked.filename}"`)
      .set('Cache-Control', 'public, max-age=86400')
      .set('ETag', baked.etag)
      .send(baked.bytes);
  });

  const certificates = createCertificateStore(ctx);
  router.get('/credentials/:id/certificate.pdf', async (req, res) => {
    const stored = await load(req.params.id);
    // Checked on every request, before the kept file: a revocation by any instance shows at once.
    const revokedAt = (await ctx.status.statusOf(stored.id))?.revokedAt;
    if (revokedAt) throw new AppError('credential_revoked', `this badge was revoked by its issuer on ${revokedAt.slice(0, 10)}; it is no longer valid, so it has no certificate`);
    const pdf = await certificates.get(stored);
    if (!pdf) throw new AppError('credential_not_found', `credential "${stored.id}" has no public address to print`);
    count(req, stored, 'downloads');
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="${pdf.filename}"`)
      // Asked again each time (a 304 while unchanged), so a revoked badge's certificate is not kept by caches.
      .set('Cache-Control', 'no-cache')
      .set('ETag', pdf.etag)
      .send(pdf.bytes);
  });

  // "Add to LinkedIn profile": counted as the learner taking the badge, then on to LinkedIn's form.
  router.get('/credentials/:id/linkedin', async (req, res) => {
    const stored = await load(req.params.id);
    count(req, stored, 'downloads');
    res.set('Cache-Control', 'no-store').redirect(303, linkedInAddToProfileUrl(JSON.parse(stored.document) as Record<string, unknown>, stored.id));
  });

  return router;
}
