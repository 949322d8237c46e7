import { hasPngSignature } from './png.js';

/** Enough of the file to get past an XML declaration, a DOCTYPE and an editor's comments to the root tag. */
const SNIFF_BYTES = 64 * 1024;

/**
 * A cheap guess at the format of an image to bake or unbake, from its first bytes: the PNG signature, or text
 * whose first element is `<svg` (after an optional BOM, XML declaration, comments, processing instructions and
 * DOCTYPE). bakeSvg/unbakeSvg still parse the whole document and reject what is not SVG.
 */
export function detectImageFormat(bytes: Uint8Array): 'png' | 'svg' | undefined {
  if (hasPngSignature(bytes)) return 'png';
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, SNIFF_BYTES));
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)*/i.exec(head);
  const rest = head.slice(prolog?.[0].length ?? 0);
  return /^<svg[\s/>]/.test(rest) ? 'svg' : undefined;
}
