import PDFDocument from 'pdfkit';
import { SUPPORTED_LANGUAGES, type Language } from '../badge-classes/schema.js';
import { readCredential } from '../pages/credential-view.js';
import { MESSAGES, fill, formatDate } from '../pages/i18n.js';
import { FONTS } from './fonts.js';
import { qrRuns } from './qr-code.js';

/** What a printed certificate shows of one credential: a small view, so the layout never reads JSON. */
export interface CertificateView {
  /** The language of the award: the credential's texts are written in it, and the certificate's words follow. */
  language: Language;
  /** The credential's `id`: its public page, where live verification is; the QR code opens it. */
  url: string;
  badgeName: string;
  description?: string;
  proficiencyLevel?: string;
  /** A PNG of the badge (the image store's, as `badge.png` serves it before baking). */
  image?: Buffer;
  competences: Array<{ name: string; framework?: string; code?: string }>;
  recipientName?: string;
  issuer: { name?: string; url?: string };
  /** Date-times as the credential writes them. */
  awardedOn?: string;
  validUntil?: string;
}

/**
 * The certificate view of a credential as stored (OB 3.0 §B.1.1), read through the pages' own reading
 * of it. The award date is `awardedDate` (OB 3.0 §B.1.1), else `validFrom`. Undefined when the credential
 * has no `id` URL to point the reader to: a certificate that cannot be checked would certify nothing.
 */
export function certificateView(credential: Record<string, unknown>): CertificateView | undefined {
  const view = readCredential(credential);
  if (!view.id || !/^https?:\/\//.test(view.id)) return undefined;
  const primary = view.language?.split('-')[0]?.toLowerCase();
  const language = SUPPORTED_LANGUAGES.find((l) => l === primary) ?? 'en';
  const awardedOn = (typeof credential.awardedDate === 'string' ? credential.awardedDate : undefined) ?? view.validFrom;
  return {
    language,
    url: view.id,
    badgeName: view.achievementName ?? MESSAGES[language].kicker,
    ...(view.description ? { description: view.description } : {}),
    ...(view.proficiencyLevel ? { proficiencyLevel: view.proficiencyLevel } : {}),
    competences: view.alignments.map((a) => ({
      name: a.targetName ?? a.targetCode ?? '',
      ...(a.targetFramework ? { framework: a.targetFramework } : {}),
      ...(a.targetName && a.targetCode ? { code: a.targetCode } : {}),
    })),
    ...(view.recipientName ? { recipientName: view.recipientName } : {}),
    issuer: view.issuer,
    ...(awardedOn ? { awardedOn } : {}),
    ...(view.validUntil ? { validUntil: view.validUntil } : {}),
  };
}

// A4 portrait in points (ISO 216: 210 × 297 mm).
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const WIDTH = PAGE.width - 2 * MARGIN;
const INK = '#1f2933';
const MUTED = '#52606d';
const ACCENT = '#1d4e6f';
const RULE = '#c5ced6';
const IMAGE_SIZE = 96;
const QR_SIZE = 108;
/** The verification block and the note under it sit at the foot of the page; the rest flows above them. */
const QR_TOP = PAGE.height - MARGIN - QR_SIZE - 34;
/** White around the QR code, at least its quiet zone (ISO/IEC 18004: 4 modules, under 12 pt here). */
const QR_CLEAR = 16;
const FLOW_END = QR_TOP - QR_CLEAR - 10;

/**
 * The certificate as a one-page A4 PDF. The same view gives the same bytes: the document dates are the
 * award date, and the file identifier pdfkit writes is a hash of the document information.
 */
export function renderCertificate(view: CertificateView): Promise<Buffer> {
  const t = MESSAGES[view.language].certificate;
  const fixedDate = new Date(view.awardedOn ?? 0);
  const date = Number.isNaN(fixedDate.getTime()) ? new Date(0) : fixedDate;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // Our own font from the start: pdfkit would otherwise set up Helvetica, a font the PDF does not carry.
    font: FONTS.regular,
    lang: view.language,
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: fill(t.documentTitle, { badge: view.badgeName }),
      ...(view.issuer.name ? { Author: view.issuer.name } : {}),
      Subject: fill(t.documentSubject, { badge: view.badgeName }),
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawPage(doc, view);
  doc.end();
  return done;
}

type Doc = PDFKit.PDFDocument;

function drawPage(doc: Doc, view: CertificateView): void {
  const t = MESSAGES[view.language].certificate;
  const lang = view.language;

  // A thin frame, inset from the edge so that printers which cannot print to the edge keep it whole.
  doc.lineWidth(0.8).strokeColor(ACCENT).rect(28, 28, PAGE.width - 56, PAGE.height - 56).stroke();
  doc.lineWidth(0.4).strokeColor(RULE).rect(32, 32, PAGE.width - 64, PAGE.height - 64).stroke();

  let y = MARGIN - 8;
  if (view.image) {
    doc.image(view.image, (PAGE.width - IMAGE_SIZE) / 2, y, { fit: [IMAGE_SIZE, IMAGE_SIZE], align: 'center', valign: 'center' });
    y += IMAGE_SIZE + 16;
  }

  y = centred(doc, t.title.toLocaleUpperCase(lang), y, { font: FONTS.bold, size: 12, color: ACCENT }) + 8;
  y = centred(doc, view.badgeName, y, { font: FONTS.bold, size: 22, color: INK, maxLines: 3 }) + 14;

  if (view.recipientName) {
    y = centred(doc, t.awardedTo, y, { size: 10.5, color: MUTED }) + 3;
    y = centred(doc, view.recipientName, y, { font: FONTS.bold, size: 19, color: INK, maxLines: 2 }) + 12;
  }
  if (view.issuer.name) {
    y = centred(doc, t.issuedBy, y, { size: 10.5, color: MUTED }) + 3;
    y = centred(doc, view.issuer.name, y, { font: FONTS.bold, size: 13.5, color: INK, maxLines: 2 }) + 2;
    if (view.issuer.url) y = centred(doc, view.issuer.url, y, { size: 9.5, color: MUTED, link: view.issuer.url, maxLines: 1 });
    y += 12;
  }
  if (view.description) y = centred(doc, view.description, y, { size: 9.5, color: INK, maxLines: 8, lineGap: 1.5 }) + 14;

  y = drawFacts(doc, view, y) + 16;
  drawCompetences(doc, view, y);
  drawVerification(doc, view);
}

interface TextStyle {
  font?: string;
  size: number;
  color: string;
  lineGap?: number;
  /** Longer text ends in an ellipsis: the page never runs onto a second sheet. */
  maxLines?: number;
  link?: string;
}

/** Writes a centred paragraph at `y`; answers where the next one starts. */
function centred(doc: Doc, text: string, y: number, style: TextStyle): number {
  return write(doc, text, MARGIN, y, WIDTH, 'center', style);
}

function write(doc: Doc, text: string, x: number, y: number, width: number, align: 'left' | 'center', style: TextStyle): number {
  doc.font(style.font ?? FONTS.regular).fontSize(style.size).fillColor(style.color);
  const options: PDFKit.Mixins.TextOptions = {
    width,
    align,
    lineGap: style.lineGap ?? 1,
    ...(style.link ? { link: style.link } : {}),
  };
  if (style.maxLines !== undefined) {
    const lineHeight = doc.currentLineHeight(true) + (style.lineGap ?? 1);
    Object.assign(options, { height: lineHeight * style.maxLines, ellipsis: '…' });
  }
  const height = Math.min(doc.heightOfString(text, options), options.height ?? Number.POSITIVE_INFINITY);
  doc.text(text, x, y, options);
  return y + height;
}

/** Awarded on, valid until and the proficiency level, side by side as label over value. */
function drawFacts(doc: Doc, view: CertificateView, y: number): number {
  const t = MESSAGES[view.language].certificate;
  const facts = [
    [t.awardedOn, formatDate(view.awardedOn, view.language)],
    [t.validUntil, view.validUntil ? formatDate(view.validUntil, view.language) : undefined],
    [t.proficiencyLevel, view.proficiencyLevel],
  ].filter((f): f is [string, string] => f[1] !== undefined);
  if (facts.length === 0) return y;
  doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN, y).lineTo(MARGIN + WIDTH, y).stroke();
  const column = WIDTH / facts.length;
  let bottom = y;
  facts.forEach(([label, value], i) => {
    const x = MARGIN + i * column;
    const next = write(doc, label, x, y + 10, column, 'center', { size: 9, color: MUTED, maxLines: 2 }) + 2;
    bottom = Math.max(bottom, write(doc, value, x, next, column, 'center', { font: FONTS.bold, size: 11, color: INK, maxLines: 2 }));
  });
  bottom += 10;
  doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN, bottom).lineTo(MARGIN + WIDTH, bottom).stroke();
  return bottom;
}

/**
 * The competences the badge is aligned to (OB 3.0 `Alignment`), each with its framework and code.
 * As many as fit above the verification block; a line says how many more the online page lists.
 */
function drawCompetences(doc: Doc, view: CertificateView, top: number): void {
  if (view.competences.length === 0) return;
  const t = MESSAGES[view.language].certificate;
  let y = write(doc, t.competences, MARGIN, top, WIDTH, 'left', { font: FONTS.bold, size: 12, color: ACCENT }) + 6;
  const lineHeight = 16;
  for (const [i, competence] of view.competences.entries()) {
    const source = [competence.framework, competence.code].filter(Boolean).join(' · ');
    const remaining = view.competences.length - i;
    doc.font(FONTS.regular).fontSize(10.5);
    const options = { width: WIDTH - 12, lineGap: 1, height: lineHeight * 2 - 2, ellipsis: '…' };
    const height = Math.max(lineHeight, Math.min(doc.heightOfString(source ? `${competence.name}  (${source})` : competence.name, options), options.height) + 4);
    // Room for this one and, unless it is the last, for the "and N more" line.
    if (y + height + (remaining > 1 ? lineHeight : 0) > FLOW_END) {
      write(doc, fill(t.moreCompetences, { count: remaining }), MARGIN + 12, y, WIDTH - 12, 'left', { size: 9.5, color: MUTED, maxLines: 1 });
      return;
    }
    doc.fillColor(ACCENT).circle(MARGIN + 4, y + 6.5, 1.8).fill();
    doc.fillColor(INK).text(competence.name, MARGIN + 12, y, { ...options, continued: source !== '' });
    if (source) doc.fillColor(MUTED).fontSize(9.5).text(`  (${source})`);
    y += height;
  }
}

/** The QR code of the credential's page, its address in full, and what they are for. */
function drawVerification(doc: Doc, view: CertificateView): void {
  const t = MESSAGES[view.language].certificate;
  doc.lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN, QR_TOP - QR_CLEAR).lineTo(MARGIN + WIDTH, QR_TOP - QR_CLEAR).stroke();

  // Vector modules, one rectangle per run of dark modules, filled as one path (no seams between
  // them): sharp at any print resolution.
  const { size, runs } = qrRuns(view.url);
  const cell = QR_SIZE / size;
  for (const run of runs) doc.rect(MARGIN + run.col * cell, QR_TOP + run.row * cell, run.length * cell, cell);
  doc.fillColor('#000000').fill('nonzero');
  doc.link(MARGIN, QR_TOP, QR_SIZE, QR_SIZE, view.url);

  const x = MARGIN + QR_SIZE + 22;
  const width = MARGIN + WIDTH - x;
  let y = write(doc, t.verifyHeading, x, QR_TOP + 2, width, 'left', { font: FONTS.bold, size: 12, color: ACCENT }) + 5;
  y = write(doc, t.verifyText, x, y, width, 'left', { size: 10, color: INK, lineGap: 2, maxLines: 5 }) + 7;
  // The address on one line where it can be (copied by hand, a break would hide where it ends).
  const urlSize = Math.max(6.5, Math.min(9.5, (9.5 * width) / doc.font(FONTS.regular).fontSize(9.5).widthOfString(view.url)));
  write(doc, view.url, x, y, width, 'left', { size: urlSize, color: ACCENT, link: view.url, maxLines: 2 });

  write(doc, t.printedCopy, MARGIN, QR_TOP + QR_SIZE + QR_CLEAR, WIDTH, 'center', { size: 8, color: MUTED, maxLines: 2 });
}
