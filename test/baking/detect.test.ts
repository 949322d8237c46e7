import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { detectImageFormat } from '../../src/baking/index.js';

const badgeSvg = readFileSync(new URL('../fixtures/baking/badge.svg', import.meta.url));
const text = (s: string) => Buffer.from(s, 'utf8');

describe('detectImageFormat', () => {
  it('recognises a PNG by its signature', async () => {
    expect(detectImageFormat(await sharp(badgeSvg).resize(16, 16).png().toBuffer())).toBe('png');
  });

  it('recognises an SVG after a BOM, XML declaration, comments and DOCTYPE', () => {
    expect(detectImageFormat(badgeSvg)).toBe('svg');
    expect(detectImageFormat(readFileSync(new URL('../fixtures/baking/simple-json.svg', import.meta.url)))).toBe('svg');
    expect(detectImageFormat(text('\uFEFF  <?xml version="1.0"?>\n<!-- Generator: x -->\n<!DOCTYPE svg [<!ENTITY a "b">]>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
  });

  it('returns undefined for other formats', async () => {
    expect(detectImageFormat(await sharp(badgeSvg).resize(16, 16).jpeg().toBuffer())).toBeUndefined();
    expect(detectImageFormat(text('{"@context":[]}'))).toBeUndefined();
    expect(detectImageFormat(text('<html><svg></svg></html>'))).toBeUndefined();
    expect(detectImageFormat(text('<svgfoo/>'))).toBeUndefined();
    expect(detectImageFormat(new Uint8Array(0))).toBeUndefined();
  });
});
