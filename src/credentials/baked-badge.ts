import type { Catalog } from '../badge-classes/catalog.js';
import type { ImageStore } from '../badge-classes/images.js';
import { bakeSvg, pngBaker } from '../baking/index.js';
import { AppError } from '../errors/errors.js';
import type { StoredCredential } from './issuance.js';

export interface BakedBadge {
  bytes: Buffer;
  contentType: string;
  /** e.g. `carer-plus-digital-communication-6f1c2d3e.png` (`-jwt` before the extension for a VC-JWT bake). */
  filename: string;
}

export interface BakingDeps {
  catalog: Catalog;
  images: ImageStore;
  /** The credential's VC-JWT, signed the first time it is asked for. */
  jwtOf(stored: StoredCredential): Promise<string>;
}

/**
 * Each badge image read once for baking. The image store keeps one Buffer per image for the process's
 * life and never changes it: the Buffer itself is the key.
 */
const pngBakers = new WeakMap<Buffer, (payload: string) => Buffer>();
function bakeIntoPng(image: Buffer, payload: string): Buffer {
  let bake = pngBakers.get(image);
  if (!bake) {
    bake = pngBaker(image);
    pngBakers.set(image, bake);
  }
  return bake(payload);
}

/** The badge class slug a credential names: the last segment of its achievement's id. */
export const badgeClassSlugOf = (document: Record<string, unknown>): string =>
  String(((document.credentialSubject as { achievement?: { id?: string } }).achievement?.id ?? 'badge').split('/').pop());

/**
 * A stored credential baked into its badge class's image (OB 3.0 §5.3), in the award's language: the
 * JSON with its embedded proof, or with `asJwt` the VC-JWT. What `GET /credentials/{id}/badge.png|svg`
 * serves and what the learner's e-mail attaches.
 */
export async function bakeStoredCredential(deps: BakingDeps, stored: StoredCredential, format: 'png' | 'svg', asJwt = false): Promise<BakedBadge> {
  const document = JSON.parse(stored.document) as Record<string, unknown>;
  const entry = deps.catalog.get(badgeClassSlugOf(document));
  if (!entry) throw new AppError('badge_class_not_found', 'the badge class of this credential is no longer in the catalog');
  const inLanguage = (document.credentialSubject as { achievement?: { inLanguage?: string } }).achievement?.inLanguage;
  const lang = entry.languages.find((l) => l === inLanguage) ?? 'en';
  const image = await deps.images.get(entry, format, lang);
  if (!image) throw new AppError('not_found', `this badge has no ${format.toUpperCase()} image`);
  const jwt = asJwt ? await deps.jwtOf(stored) : undefined;
  const bytes =
    format === 'png'
      ? bakeIntoPng(image.data, jwt ?? stored.document)
      : Buffer.from(bakeSvg(image.data.toString('utf8'), jwt !== undefined ? { jws: jwt } : { json: stored.document }), 'utf8');
  return { bytes, contentType: image.contentType, filename: `${entry.badgeClass.slug}-${stored.id.slice(0, 8)}${asJwt ? '-jwt' : ''}.${format}` };
}
