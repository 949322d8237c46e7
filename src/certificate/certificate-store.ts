import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Catalog } from '../badge-classes/catalog.js';
import type { ImageStore } from '../badge-classes/images.js';
import { certificateView, renderCertificate } from './certificate.js';

export interface CertificateFile {
  bytes: Buffer;
  /** A strong validator: the same credential always gives the same bytes. */
  etag: string;
  filename: string;
}

/**
 * Printable certificates of stored credentials. Rendering one takes tens of milliseconds (font
 * subsetting, the badge image), so each is made once and kept, per process and bounded (32 MiB, least
 * recently used first out); concurrent first requests share one rendering. Nothing in them goes stale:
 * a stored credential never changes and the catalog images are fixed while the process runs. Whether
 * the credential was revoked or erased is the caller's to check before asking.
 */
export function createCertificateStore({ catalog, images }: { catalog: Catalog; images: ImageStore }) {
  const kept = new LRUCache<string, CertificateFile>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (f) => Math.max(1, f.bytes.length) });
  const rendering = new Map<string, Promise<CertificateFile | undefined>>();

  async function render(id: string, document: string): Promise<CertificateFile | undefined> {
    const credential = JSON.parse(document) as Record<string, unknown>;
    const view = certificateView(credential);
    if (!view) return undefined;
    const achievementId = (credential.credentialSubject as { achievement?: { id?: unknown } } | undefined)?.achievement?.id;
    const entry = typeof achievementId === 'string' ? catalog.get(achievementId.split('/').pop() ?? '') : undefined;
    // The badge image in the award's language (the built-in design is drawn per language); a class
    // that has left the catalog still gets its certificate, without the image.
    const image = entry ? await images.get(entry, 'png', entry.languages.includes(view.language) ? view.language : 'en') : undefined;
    const bytes = await renderCertificate({ ...view, ...(image ? { image: image.data } : {}) });
    const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
    return { bytes, etag, filename: `${entry?.badgeClass.slug ?? 'certificate'}-${id.slice(0, 8)}.pdf` };
  }

  return {
    /** The certificate of a stored credential, or undefined when it has no public `id` to point to. */
    async get(stored: { id: string; document: string }): Promise<CertificateFile | undefined> {
      const ready = kept.get(stored.id);
      if (ready) return ready;
      let job = rendering.get(stored.id);
      if (!job) {
        job = render(stored.id, stored.document).finally(() => rendering.delete(stored.id));
        rendering.set(stored.id, job);
      }
      const file = await job;
      if (file) kept.set(stored.id, file);
      return file;
    },
    /** Drops the kept certificate of a credential (erased). */
    forget(id: string): void {
      kept.delete(id);
    },
  };
}
export type CertificateStore = ReturnType<typeof createCertificateStore>;
