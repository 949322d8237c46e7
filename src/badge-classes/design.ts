import { createHash } from 'node:crypto';
import { pick } from './achievement.js';
import type { BadgeClass, Language } from './schema.js';

/**
 * The built-in badge design, for badge classes without an uploaded image: a round badge carrying the
 * badge's name and proficiency level in one language, a label (the class's `design.label`, else the
 * creator's short name or the badge's code) and the level's framework and code. The background is the
 * class's `design.colour` or one of a palette; dark colours only (the schema checks `design.colour`),
 * so white text keeps a contrast of at least 4.5:1.
 */
const LEVEL_WORD: Record<Language, string> = { en: 'Level', it: 'Livello', lt: 'Lygis', ro: 'Nivelul', fr: 'Niveau', es: 'Nivel', de: 'Stufe' };
const PALETTE = ['#1f4e79', '#0b6e4f', '#8e244d', '#5b3f8c', '#9a3b06', '#2f5d62', '#7a2e2e', '#3d5a1f'];

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Greedy word wrap into at most `maxLines` lines of about `width` characters; the last line is cut with an ellipsis. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
  return kept;
}

export function renderBadgeDesign(badgeClass: BadgeClass, lang: Language): string {
  const name = pick(badgeClass.name, lang);
  const level = pick(badgeClass.proficiencyLevel.name, lang).toUpperCase();
  // The programme's short name ("CarINg – Empowering …" → "CARING"), else the badge's code.
  const top = (badgeClass.design?.label ?? badgeClass.creator?.name.split(/\s[–-]\s/)[0] ?? badgeClass.humanCode ?? '').slice(0, 18);
  const colour = badgeClass.design?.colour ?? PALETTE[createHash('sha256').update(badgeClass.slug).digest()[0]! % PALETTE.length]!;
  const { framework, code } = badgeClass.proficiencyLevel;
  const scale = framework ? `${framework}${code ? ` · ${LEVEL_WORD[lang]} ${code}` : ''}` : '';
  const lines = wrap(name, 18, 4);
  const fontSize = lines.length > 3 ? 21 : lines.some((l) => l.length > 15) ? 24 : 28;
  const lineHeight = fontSize + 7;
  const firstY = 205 - ((lines.length - 1) * lineHeight) / 2;
  const tspans = lines.map((l, i) => `<tspan x="200" y="${firstY + i * lineHeight}">${escapeXml(l)}</tspan>`).join('');
  const levelWidth = Math.max(120, Math.min(300, level.length * 12 + 40));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(name)}</title>`,
    `<circle cx="200" cy="200" r="196" fill="${colour}"/>`,
    `<circle cx="200" cy="200" r="182" fill="none" stroke="#ffffff" stroke-width="4"/>`,
    top ? `<text x="200" y="92" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="20" font-weight="bold" letter-spacing="2" fill="#ffffff">${escapeXml(top)}</text>` : '',
    top ? `<line x1="130" y1="108" x2="270" y2="108" stroke="#ffffff" stroke-width="2" stroke-opacity="0.8"/>` : '',
    `<text text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="${fontSize}" font-weight="bold" fill="#ffffff">${tspans}</text>`,
    `<rect x="${200 - levelWidth / 2}" y="292" width="${levelWidth}" height="34" rx="17" fill="#ffffff"/>`,
    `<text x="200" y="315" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="15" font-weight="bold" letter-spacing="1" fill="${colour}">${escapeXml(level.slice(0, 24))}</text>`,
    scale ? `<text x="200" y="346" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="14" fill="#ffffff">${escapeXml(scale.slice(0, 34))}</text>` : '',
    `</svg>`,
  ].join('\n');
}
