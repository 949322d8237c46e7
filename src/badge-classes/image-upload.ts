import { DOMParser, type Element } from '@xmldom/xmldom';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../errors/errors.js';
import type { BadgeImageFile } from './catalog.js';

/**
 * An uploaded badge image, checked before it is kept: a PNG that decodes, square enough and of a
 * sensible size, or an SVG that is only a picture. Badge images are served from this site and baked
 * into credentials that wallets and pages show, so an SVG with a script, an event handler, embedded
 * HTML or a reference to anything outside itself is refused rather than cleaned.
 */
export const MAX_IMAGE_BYTES = 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ALLOWED_SVG_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'title', 'desc', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan',
  'lineargradient', 'radialgradient', 'stop', 'clippath', 'mask', 'pattern', 'use', 'symbol', 'style', 'metadata',
]);

/** Why an image was refused: a stable reason, for pages that say it in the reader's language. */
export type ImageProblem = 'empty' | 'too_large' | 'not_png_or_svg' | 'png_unreadable' | 'png_size' | 'png_shape' | 'svg_malformed' | 'svg_unsafe';

class ImageRefused extends Error {
  constructor(
    readonly problem: ImageProblem,
    message: string,
  ) {
    super(message);
  }
}
const refuse = (problem: ImageProblem, message: string): never => {
  throw new ImageRefused(problem, message);
};
function checkSvg(text: string): void {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (errors.length || !root || root.localName !== 'svg') refuse('svg_malformed', 'the image is not a well-formed SVG');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) refuse('svg_unsafe', 'the SVG must not declare a DOCTYPE or entities');
  const walk = (el: Element): void => {
    const name = el.localName?.toLowerCase() ?? '';
    if (!ALLOWED_SVG_ELEMENTS.has(name)) refuse('svg_unsafe', `the SVG may hold shapes, text and gradients only, not <${el.localName}>`);
    for (let i = 0; i < el.attributes.length; i++) {
      const attribute = el.attributes.item(i)!;
      const attr = attribute.name.toLowerCase();
      const value = attribute.value.trim();
      if (attr.startsWith('on')) refuse('svg_unsafe', `the SVG must not have event handlers (${attribute.name})`);
      if ((attr === 'href' || attr.endsWith(':href')) && !value.startsWith('#')) refuse('svg_unsafe', 'the SVG must not refer to anything outside itself');
      if (/url\(\s*['"]?(?!#)/i.test(value)) refuse('svg_unsafe', 'the SVG must not refer to anything outside itself');
    }
    if (name === 'style' && /@import|url\(\s*['"]?(?!#)/i.test(el.textContent ?? '')) refuse('svg_unsafe', 'the SVG must not refer to anything outside itself');
    for (let child = el.firstChild; child; child = child.nextSibling) if (child.nodeType === 1) walk(child as Element);
  };
  walk(root!);
}

/** What an upload must be: its size in bytes, and how far a PNG may be from square. */
export interface ImageRules {
  maxBytes: number;
  /** Width over height (or height over width) at most this. */
  maxAspect: number;
}
/** A badge is round or square. */
export const BADGE_IMAGE_RULES: ImageRules = { maxBytes: MAX_IMAGE_BYTES, maxAspect: 1.5 };
/** A logo may be wide; it is kept with the organisation and read on every look-up, so it is smaller. */
export const LOGO_RULES: ImageRules = { maxBytes: 256 * 1024, maxAspect: 4 };

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);

/** Checks an upload: what it is, or why it is refused (a reason and a message naming the problem). */
export async function checkImage(data: Buffer, rules: ImageRules): Promise<{ image: BadgeImageFile } | { problem: ImageProblem; message: string }> {
  try {
    return { image: await inspect(data, rules) };
  } catch (e) {
    if (e instanceof ImageRefused) return { problem: e.problem, message: e.message };
    throw e;
  }
}

async function inspect(data: Buffer, rules: ImageRules): Promise<BadgeImageFile> {
  if (data.length === 0) refuse('empty', 'the image is empty');
  if (data.length > rules.maxBytes) refuse('too_large', `the image is larger than ${sizeText(rules.maxBytes)}`);
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) {
    let meta: Metadata;
    try {
      meta = await sharp(data).metadata();
    } catch {
      return refuse('png_unreadable', 'the PNG cannot be read');
    }
    const { width = 0, height = 0 } = meta;
    if (meta.format !== 'png' || width < 64 || height < 64 || width > 2048 || height > 2048) refuse('png_size', 'the PNG must be between 64 and 2048 pixels wide and high');
    if (Math.max(width, height) / Math.min(width, height) > rules.maxAspect) {
      refuse('png_shape', rules.maxAspect <= 1.5 ? 'the PNG must be about square (a badge is round or square)' : `the PNG must be at most ${rules.maxAspect} times as wide as it is high`);
    }
    return { contentType: 'image/png', data };
  }
  const text = data.toString('utf8');
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) {
    checkSvg(text);
    return { contentType: 'image/svg+xml', data };
  }
  return refuse('not_png_or_svg', 'the image must be a PNG or an SVG');
}

/** Checks a badge image upload and says what it is; a 422 `validation_failed` naming the problem otherwise. */
export async function acceptBadgeImage(data: Buffer): Promise<BadgeImageFile> {
  const checked = await checkImage(data, BADGE_IMAGE_RULES);
  if ('problem' in checked) throw new AppError('validation_failed', checked.message, [{ path: 'image', message: checked.message }]);
  return checked.image;
}
