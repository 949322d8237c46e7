import sharp from 'sharp';
import type { CatalogEntry } from './catalog.js';
import { renderBadgeDesign } from './design.js';
import type { Language } from './schema.js';

export interface BadgeImage {
  contentType: 'image/png' | 'image/svg+xml';
  data: Buffer;
}

/** PNG size of rendered badge images: large enough for print and for LinkedIn. */
const PNG_SIZE = 600;

/**
 * A badge class's image as SVG or PNG: its own file when it has one (an SVG file also gives the PNG),
 * else the built-in design in the requested language. Renders are made once and kept. Returns
 * undefined when the format cannot be produced (an SVG of a class whose image is a PNG file).
 */
export function createImageStore() {
  const cache = new Map<string, Promise<BadgeImage | undefined>>();

  async function source(entry: CatalogEntry, lang: Language): Promise<{ format: 'png' | 'svg'; data: Buffer }> {
    if (!entry.image) return { format: 'svg', data: Buffer.from(renderBadgeDesign(entry.badgeClass, lang), 'utf8') };
    return { format: entry.image.contentType === 'image/png' ? 'png' : 'svg', data: entry.image.data };
  }

  async function produce(entry: CatalogEntry, format: 'png' | 'svg', lang: Language): Promise<BadgeImage | undefined> {
    const src = await source(entry, lang);
    if (format === src.format) return { contentType: format === 'png' ? 'image/png' : 'image/svg+xml', data: src.data };
    if (format === 'svg') return undefined;
    const data = await sharp(src.data, { density: 300 })
      .resize(PNG_SIZE, PNG_SIZE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .png()
      .toBuffer();
    return { contentType: 'image/png', data };
  }

  return {
    get(entry: CatalogEntry, format: 'png' | 'svg', lang: Language = 'en'): Promise<BadgeImage | undefined> {
      // An image file is the same in every language; the built-in design is drawn per language.
      // Per version: a change of the class (or of its image) is drawn afresh.
      const key = `${entry.badgeClass.slug}.${entry.version}.${format}.${entry.image ? '' : lang}`;
      let image = cache.get(key);
      if (!image) {
        image = produce(entry, format, lang);
        cache.set(key, image);
        image.catch(() => cache.delete(key));
      }
      return image;
    },
  };
}
export type ImageStore = ReturnType<typeof createImageStore>;
