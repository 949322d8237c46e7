import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError, isAppError } from '../../errors/errors.js';
import { negotiateLanguage } from '../../pages/i18n.js';
import { renderVerifyPage } from '../../pages/verify-page.js';
import { parseText, readVerificationInput } from '../../verify/input.js';
import type { VerifiableInput } from '../../verify/verifier.js';
import type { InputFormat } from '../../verify/report.js';
import { readMultipart, readRawBody } from '../raw-body.js';
import { sendPage } from '../pages.js';

const MAX_INPUT = 5 * 1024 * 1024;

/** What to verify and for whom, from any of the accepted request shapes. */
async function readRequest(req: Request): Promise<{ input: VerifiableInput; format: InputFormat; email?: string }> {
  const queryEmail = typeof req.query.email === 'string' ? req.query.email : undefined;
  if (req.is('multipart/form-data')) {
    const form = await readMultipart(req, MAX_INPUT);
    const email = form.fields.email?.trim() || undefined;
    const file = form.files.file;
    if (file && file.length > 0) return { ...readVerificationInput(file), ...(email ? { email } : {}) };
    const pasted = form.fields.credential?.trim();
    if (pasted) {
      const input = parseText(pasted);
      return { input, format: 'jwt' in input ? 'jwt' : 'json', ...(email ? { email } : {}) };
    }
    throw new AppError('unreadable_credential', 'choose a badge image or credential file, or paste a credential');
  }
  const body = await readRawBody(req, MAX_INPUT);
  if (req.is(['application/json', 'application/*+json'])) {
    // Either the credential itself, or { credential, email }.
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError('malformed_json', 'the request body is not valid JSON');
    }
    if (value && typeof value === 'object' && !Array.isArray(value) && 'credential' in value && !('@context' in value)) {
      const wrapped = value as { credential: unknown; email?: unknown };
      const email = typeof wrapped.email === 'string' ? wrapped.email : queryEmail;
      const input = typeof wrapped.credential === 'string' ? parseText(wrapped.credential) : parseText(JSON.stringify(wrapped.credential));
      return { input, format: 'jwt' in input ? 'jwt' : 'json', ...(email ? { email } : {}) };
    }
  }
  return { ...readVerificationInput(body), ...(queryEmail ? { email: queryEmail } : {}) };
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
      read = await readRequest(req);
    } catch (e) {
      if (html && isAppError(e) && e.status < 500) {
        res.status(e.status);
        sendPage(res, renderVerifyPage({ action, error: { code: e.code, message: e.message } }, lang), lang);
        return;
      }
      throw e;
    }
    const report = await ctx.verifier.verify(read.input, { format: read.format, ...(read.email ? { email: read.email } : {}) });
    if (html) {
      sendPage(res, renderVerifyPage({ action, report, ...(read.email ? { email: read.email } : {}) }, lang), lang);
      return;
    }
    res.json(report);
  });

  return router;
}
