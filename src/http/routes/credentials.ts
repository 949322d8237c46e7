import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Public credential URLs. `GET /credentials/{id}` serves the signed credential byte-exact as issued;
 * `/credentials/{id}.jwt` or `Accept: application/vc+jwt` serves its VC-JWT (OB 3.0 §5.2).
 */
export function createCredentialsRouter(ctx: AppContext): Router {
  const router = Router();

  const load = (id: string) => {
    const stored = UUID.test(id) ? ctx.issuance.get(id) : undefined;
    if (!stored) throw new AppError('credential_not_found', `no credential "${id}"`);
    return stored;
  };
  const sendJwt = (res: Response, jwt: string) => res.type('application/vc+jwt').send(jwt);

  router.get('/credentials/:file', (req, res) => {
    const [, id = '', ext] = /^(.*?)(?:\.(json|jwt))?$/.exec(req.params.file) ?? [];
    const stored = load(id);
    res.vary('Accept');
    if (ext === 'jwt') return sendJwt(res, stored.jwt);
    if (ext === 'json') return res.type('application/json').send(stored.document);
    const preferred = req.accepts(['application/ld+json', 'application/json', 'application/vc+ld+json', 'application/vc+jwt', 'application/jwt']);
    if (preferred === 'application/vc+jwt' || preferred === 'application/jwt') return sendJwt(res, stored.jwt);
    if (preferred === false) throw new AppError('not_acceptable', 'this credential is available as application/ld+json, application/json or application/vc+jwt');
    return res.type(preferred).send(stored.document);
  });

  return router;
}
