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

const refuse = (message: string): never => {
  throw new AppError('validation_failed', message, [{ path: 'image', message }]);
};

function checkSvg(text: string): void {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (errors.length || !root || root.localName !== 'svg') refuse('the image is not a well-formed SVG');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) refuse('the SVG must not declare a DOCTYPE or entities');
  const walk = (el: Element): void => {
    const name = el.localName?.toLowerCase() ?? '';
    if (!ALLOWED_SVG_ELEMENTS.has(name)) refuse(`the SVG may hold shapes, text and gradients only, not <${el.localName}>`);
    for (let i = 0; i < el.attributes.length; i++) {
      const attribute = el.attributes.item(i)!;
      const attr = attribute.name.toLowerCase();
      const value = attribute.value.trim();
      if (attr.startsWith('on')) refuse(`the SVG must not have event handlers (${attribute.name})`);
      if ((attr === 'href' || attr.endsWith(':href')) && !value.startsWith('#')) refuse('the SVG must not refer to anything outside itself');
      if (/url\(\s*['"]?(?!#)/i.test(value)) refuse('the SVG must not refer to anything outside itself');
    }
    if (name === 'style' && /@import|url\(\s*['"]?(?!#)/i.test(el.textContent ?? '')) refuse('the SVG must not refer to anything outside itself');
    for (let child = el.firstChild; child; child = child.nextSibling) if (child.nodeType === 1) walk(child as Element);
  };
  walk(root!);
}

/** Checks an upload and says what it is; a 422 `validation_failed` naming the problem otherwise. */
export async function acceptBadgeImage(data: Buffer): Promise<BadgeImageFile> {
  if (data.length === 0) refuse('the image is empty');
  if (data.length > MAX_IMAGE_BYTES) refuse('the image is larger than 1 MiB');
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) {
    let meta: Metadata;
    try {
      meta = await sharp(data).metadata();
    } catch {
      return refuse('the PNG cannot be read');
    }
    const { width = 0, height = 0 } = meta;
    if (meta.format !== 'png' || width < 64 || height < 64 || width > 2048 || height > 2048) refuse('the PNG must be between 64 and 2048 pixels wide and high');
    if (Math.max(width, height) / Math.min(width, height) > 1.5) refuse('the PNG must be about square (a badge is round or square)');
    return { contentType: 'image/png', data };
  }
  const text = data.toString('utf8');
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) {
    checkSvg(text);
    return { contentType: 'image/svg+xml', data };
  }
  return refuse('the image must be a PNG or an SVG');
}
