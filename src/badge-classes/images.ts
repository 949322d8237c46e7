import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { CatalogEntry } from './catalog.js';

export interface BadgeImage {
  contentType: 'image/png' | 'image/svg+xml';
  data: Buffer;
}

/** PNG size of rendered badge images: large enough for print and for LinkedIn. */
const PNG_SIZE = 600;

/**
 * A badge class's image as SVG or PNG. A PNG is rendered from the SVG once and kept; an SVG is only
 * available when the class has one. Returns undefined when the format cannot be produced.
 */
export function createImageStore() {
  const cache = new Map<string, Promise<BadgeImage | undefined>>();

  async function produce(entry: CatalogEntry, format: 'png' | 'svg'): Promise<BadgeImage | undefined> {
    if (!entry.imagePath) return undefined;
    const source = await readFile(entry.imagePath);
    const sourceFormat = extname(entry.imagePath) === '.png' ? 'png' : 'svg';
    if (format === sourceFormat) return { contentType: format === 'png' ? 'image/png' : 'image/svg+xml', data: source };
    if (format === 'svg') return undefined;
    const data = await sharp(source, { density: 300 }).resize(PNG_SIZE, PNG_SIZE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
    return { contentType: 'image/png', data };
  }

  return {
    get(entry: CatalogEntry, format: 'png' | 'svg'): Promise<BadgeImage | undefined> {
      const key = `${entry.badgeClass.slug}.${format}`;
      let image = cache.get(key);
      if (!image) {
        image = produce(entry, format);
        cache.set(key, image);
        image.catch(() => cache.delete(key));
      }
      return image;
    },
  };
}
export type ImageStore = ReturnType<typeof createImageStore>;
