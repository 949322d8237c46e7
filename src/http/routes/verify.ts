import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError, isAppError } from '../../errors/errors.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { renderVerifyPage } from '../../pages/verify-page.js';
import { MAX_CREDENTIAL_TEXT, MAX_IMAGE_BYTES } from '../../verify/bounds.js';
import { parseText } from '../../verify/input.js';
import type { VerifiableInput } from '../../verify/verifier.js';
import type { InputFormat } from '../../verify/report.js';
import { assertJsonDepth } from '../../json/limits.js';
import { readMultipart, readRawBody } from '../raw-body.js';
import { sendPage } from '../pages.js';

/** JSON, text and form fields: a credential is a few KiB, a VC-JWT of it a little more. */
export const MAX_TEXT_INPUT = MAX_CREDENTIAL_TEXT;
/** Baked PNG and SVG images, and files uploaded in a multipart form. */
export const MAX_IMAGE_INPUT = MAX_IMAGE_BYTES;
/** The multipart form: one file, a pasted credential, an e-mail, and room for boundaries and part headers. */
const MULTIPART_LIMITS = {
  fileSize: MAX_IMAGE_INPUT,
  fieldSize: MAX_TEXT_INPUT,
  total: MAX_IMAGE_INPUT + MAX_TEXT_INPUT + 64 * 1024,
  files: 1,
  fields: 8,
  parts: 9,
};
const JSON_TYPES = ['application/json', 'application/*+json'];
const TEXT_TYPES = [...JSON_TYPES, 'text/*', 'application/x-www-form-urlencoded', 'application/jwt', 'application/*+jwt'];

/**
 * The raw body's cap follows its declared type: text is held to the text cap; images, and bytes
 * of no declared or another type, which may be an image sent as is, to the image cap.
 */
function rawBodyCap(req: Request): { limit: number; what: string } {
  if (req.is(TEXT_TYPES)) return { limit: MAX_TEXT_INPUT, what: 'a JSON or text body' };
  return { limit: MAX_IMAGE_INPUT, what: 'an image or file body' };
}

/** What to verify and for whom, from any of the accepted request shapes. */
async function readRequest(req: Request, ctx: AppContext): Promise<{ input: VerifiableInput; format: InputFormat; email?: string }> {
  if (req.is('multipart/form-data')) {
    const form = await readMultipart(req, MULTIPART_LIMITS);
    const email = form.fields.email?.trim() || undefined;
    const file = form.files.file;
    // Files and pasted text go through input.ts, which checks JSON depth before parsing anything.
    if (file && file.length > 0) return { ...(await ctx.cpu.readInput(file)), ...(email ? { email } : {}) };
    const pasted = form.fields.credential?.trim();
    if (pasted) {
      const input = parseText(pasted);
      return { input, format: 'jwt' in input ? 'jwt' : 'json', ...(email ? { email } : {}) };
    }
    throw new AppError('unreadable_credential', 'choose a badge image or credential file, or paste a credential');
  }
  const { limit, what } = rawBodyCap(req);
  const body = await readRawBody(req, limit, what);
  if (req.is(JSON_TYPES)) {
    // Parsed here, for the { credential, email } wrapper: its depth is checked first, as text.
    assertJsonDepth(body);
    // Either the credential itself, or { credential, email }.
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError('malformed_json', 'the request body is not valid JSON');
    }
    if (value && typeof value === 'object' && !Array.isArray(value) && 'credential' in value && !('@context' in value)) {
      const wrapped = value as { credential: unknown; email?: unknown };
      const email = typeof wrapped.email === 'string' ? wrapped.email : undefined;
      const input = typeof wrapped.credential === 'string' ? parseText(wrapped.credential) : parseText(JSON.stringify(wrapped.credential));
      return { input, format: 'jwt' in input ? 'jwt' : 'json', ...(email ? { email } : {}) };
    }
    // The credential itself, already parsed: not parsed again.
    if (value && typeof value === 'object' && !Array.isArray(value)) return { input: { credential: value as Record<string, unknown> }, format: 'json' };
  }
  // No `?email=`: an address is never taken from a URL (logs, history, proxies); send { credential, email }.
  return ctx.cpu.readInput(body);
}

const wantsHtml = (req: Request) => req.accepts(['application/json', 'text/html']) === 'text/html';

/**
 * `POST /verify`: any issuer's OB 3.0 credential (JSON, VC-JWT, baked PNG or SVG; raw or multipart)
 * → a report `{ verified, checks, credential? }`. A credential that fails verification is a 200 with
 * `verified: false`; a 4xx means the input could not be read. `GET /verify` is the page for people.
 */
export function createVerifyRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/verify', (req, res) => {
    const lang = negotiateLanguage(req.query.lang, req.get('accept-language'));
    sendPage(res, renderVerifyPage({ action: '/verify', ...(lang !== 'en' ? { action: `/verify?lang=${lang}` } : {}) }, lang), lang);
  });

  router.post('/verify', async (req: Request, res: Response) => {
    const html = wantsHtml(req);
    const lang = negotiateLanguage(req.query.lang, req.get('accept-language'));
    const action = lang !== 'en' ? `/verify?lang=${lang}` : '/verify';
    let read: Awaited<ReturnType<typeof readRequest>>;
    try {
      read = await readRequest(req, ctx);
    } catch (e) {
      if (html && isAppError(e) && e.status < 500) {
        res.status(e.status);
        sendPage(res, renderVerifyPage({ action, error: { code: e.code, message: e.message } }, lang), lang);
        return;
      }
      throw e;
    }
    const report = await ctx.verifier.verify(read.input, { format: read.format, ...(read.email ? { email: read.email } : {}) });
    await ctx.usage.recordVerification({ method: req.method, userAgent: req.get('user-agent') }, report);
    if (html) {
      sendPage(res, renderVerifyPage({ action, report, ...(read.email ? { email: read.email } : {}) }, lang), lang);
      return;
    }
    res.json(report);
  });

  return router;
}
