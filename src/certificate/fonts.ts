import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` package, embedded (subset) in every certificate: it covers the
 * Latin letters of all our languages (ą č ę ė į š ų ū ž, ă â î ș ț, ß ä ö ü, é è ç, ñ, à ì ò), and a PDF
 * that embeds its fonts prints the same everywhere, whatever fonts the reader's machine has.
 */
const TTF_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONTS = {
  regular: join(TTF_DIR, 'DejaVuSans.ttf'),
  bold: join(TTF_DIR, 'DejaVuSans-Bold.ttf'),
} as const;
