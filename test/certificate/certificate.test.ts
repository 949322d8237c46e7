import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import jsqr from 'jsqr';
import sharp from 'sharp';
import request from 'supertest';
import { createCertificateStore } from '../../src/certificate/certificate-store.js';
import { renderCertificate } from '../../src/certificate/certificate.js';
import { MESSAGES, formatDate } from '../../src/pages/i18n.js';
import type { Language } from '../../src/badge-classes/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { binary, pathOf } from '../helpers/verify.js';

/**
 * The printable certificate, read back as a person or a phone would: its text with poppler's
 * pdftotext, its page with pdfinfo, and its QR code from the page rendered at 150 dpi (pdftoppm),
 * decoded with jsQR.
 */
// jsqr is CommonJS with an `exports.default`: imported from ESM, its default export is the module object.
const jsQR = jsqr.default;
const NOW = new Date('2026-03-10T09:30:00Z');
let t: TestApp;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'certificate-test-'));
  t = await startTestApp({ ISSUER_NAME: 'Slaugos akademija „Žvėrynas“', ISSUER_URL: 'https://akademija.example.lt' }, { now: () => NOW });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

interface Issued {
  id: string;
  url: string;
  credential: Record<string, any>;
}

async function issue(award: Record<string, unknown>): Promise<Issued> {
  const res = await request(t.app)
    .post('/api/v1/credentials')
    .set('Authorization', `Bearer ${t.apiKey}`)
    .send({ badgeClass: 'carer-plus-digital-communication', ...award })
    .expect(201);
  return res.body as Issued;
}

async function certificateOf(issued: Issued, headers: Record<string, string> = {}): Promise<{ pdf: Buffer; headers: Record<string, string> }> {
  const res = await binary(request(t.app).get(`${pathOf(issued.url)}/certificate.pdf`).set(headers)).expect(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return { pdf: res.body as Buffer, headers: res.headers as Record<string, string> };
}

function saved(pdf: Buffer): string {
  const file = join(dir, `${randomUUID()}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** The text of the PDF, runs of white space as one space (pdftotext breaks lines where the layout does). */
const textOf = (pdf: Buffer): string => execFileSync('pdftotext', ['-enc', 'UTF-8', saved(pdf), '-']).toString('utf8').replace(/\s+/g, ' ');
const infoOf = (pdf: Buffer): string => execFileSync('pdfinfo', ['-enc', 'UTF-8', '-isodates', saved(pdf)]).toString('utf8');
const infoField = (info: string, name: string): string | undefined => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(info)?.[1];

/** The QR code on the page, as a phone camera would read it from print. */
async function qrOf(pdf: Buffer): Promise<string | undefined> {
  const prefix = join(dir, randomUUID());
  execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', saved(pdf), prefix]);
  const { data, info } = await sharp(readFileSync(`${prefix}.png`)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data;
}

/** What the certificate must show of an issued credential, in its language. */
function expectShowsTheAward(text: string, { credential }: Issued, lang: Language): void {
  const achievement = credential.credentialSubject.achievement;
  expect(text).toContain(MESSAGES[lang].certificate.title.toLocaleUpperCase(lang));
  expect(text).toContain(credential.issuer.name);
  expect(text).toContain(credential.issuer.url);
  expect(text).toContain(achievement.name);
  expect(text).toContain(achievement.resultDescription[0].rubricCriterionLevel[0].name);
  expect(achievement.alignment.length).toBeGreaterThan(0);
  for (const alignment of achievement.alignment) expect(text).toContain(`${alignment.targetName} (${alignment.targetFramework} · ${alignment.targetCode})`);
  expect(text).toContain(`${MESSAGES[lang].certificate.awardedOn} `);
  expect(text).toContain(formatDate(credential.awardedDate, lang));
  expect(text).toContain(credential.id);
  expect(text).toContain(MESSAGES[lang].certificate.verifyHeading);
}

describe('GET /credentials/{id}/certificate.pdf', () => {
  it('shows an Italian award in Italian, whatever language the reader asks for', async () => {
    const issued = await issue({ recipient: { email: 'niccolo@example.org', name: 'Niccolò Giuffrè' }, language: 'it' });
    const { pdf } = await certificateOf(issued, { 'Accept-Language': 'de' });
    const text = textOf(pdf);
    expectShowsTheAward(text, issued, 'it');
    expect(text).toContain("Comunicazione digitale nell'assistenza domiciliare");
    expect(text).toContain('Interagire attraverso le tecnologie digitali (DigComp 2.2 · 2.1)');
    expect(text).toContain('Rilasciato a Niccolò Giuffrè');
    expect(text).toContain('Data di rilascio');
    expect(text).toContain('10 marzo 2026');
    expect(text).toContain('Valido fino al');
    expect(text).toContain('10 marzo 2029');
    expect(text).not.toContain('Zertifikat');
  });

  it('keeps the Lithuanian letters of the award, the learner and the organisation', async () => {
    const issued = await issue({ recipient: { email: 'zydrune@example.org', name: 'Žydrūnė Šačkauskaitė' }, language: 'lt' });
    const { pdf } = await certificateOf(issued);
    const text = textOf(pdf);
    expectShowsTheAward(text, issued, 'lt');
    expect(text).toContain('PAŽYMĖJIMAS');
    expect(text).toContain('Skaitmeninis bendravimas priežiūroje namuose');
    expect(text).toContain('Sąveika naudojant skaitmenines technologijas');
    expect(text).toContain('Dalijimasis naudojant skaitmenines technologijas');
    expect(text).toContain('Suteikta Žydrūnė Šačkauskaitė');
    expect(text).toContain('Išdavė Slaugos akademija „Žvėrynas“');
    expect(text).toContain('2026 m. kovo 10 d.');
    expect(text).toContain('Galioja iki');
    expect(text).toContain('2029 m. kovo 10 d.');
  });

  it('shows an English award without a learner name, and no validity end when the badge has none', async () => {
    const issued = await issue({ badgeClass: 'cares-self-care-wellbeing', recipient: { email: 'learner@example.org' }, language: 'en' });
    expect(issued.credential.validUntil).toBeUndefined();
    const { pdf } = await certificateOf(issued);
    const text = textOf(pdf);
    expectShowsTheAward(text, issued, 'en');
    expect(text).toContain('Self-Care and Well-being at Work');
    expect(text).toContain('Wellbeing (LifeComp · P3)');
    expect(text).toContain('Awarded on');
    expect(text).toContain('10 March 2026');
    expect(text).not.toContain('Awarded to');
    expect(text).not.toContain('Valid until');
    expect(text).toContain('Scan the QR code or open the address below to check that this badge is genuine and still valid.');
  });

  it('is one A4 page with its title, author, subject and dates set, and the language tagged', async () => {
    const issued = await issue({ recipient: { email: 'zydrune@example.org', name: 'Žydrūnė Šačkauskaitė' }, language: 'lt' });
    const { pdf } = await certificateOf(issued);
    const info = infoOf(pdf);
    expect(infoField(info, 'Page size')).toBe('595.28 x 841.89 pts (A4)');
    expect(infoField(info, 'Pages')).toBe('1');
    expect(infoField(info, 'Title')).toBe('Pažymėjimas: Skaitmeninis bendravimas priežiūroje namuose');
    expect(infoField(info, 'Author')).toBe('Slaugos akademija „Žvėrynas“');
    expect(infoField(info, 'Subject')).toBe('Spausdinamas skaitmeninio ženkliuko „Skaitmeninis bendravimas priežiūroje namuose“ pažymėjimas');
    expect(infoField(info, 'CreationDate')).toBe('2026-03-10T09:30:00Z');
    expect(infoField(info, 'ModDate')).toBe('2026-03-10T09:30:00Z');
    // The catalog dictionary is not compressed: its /Lang entry can be read in the bytes.
    expect(pdf.toString('latin1')).toContain('/Lang (lt)');
  });

  it('has a QR code that opens the credential’s public page', async () => {
    const issued = await issue({ recipient: { email: 'niccolo@example.org', name: 'Niccolò Giuffrè' }, language: 'it' });
    const { pdf } = await certificateOf(issued);
    expect(issued.url).toBe(issued.credential.id);
    expect(await qrOf(pdf)).toBe(issued.url);
  });

  it('gives the same bytes for the same credential, with a strong ETag that answers 304', async () => {
    const issued = await issue({ recipient: { email: 'zydrune@example.org', name: 'Žydrūnė Šačkauskaitė' }, language: 'lt' });
    const first = await certificateOf(issued);
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['content-disposition']).toMatch(/^inline; filename="carer-plus-digital-communication-[0-9a-f]{8}\.pdf"$/);
    // Rendered again from scratch, by a store that has kept nothing.
    const stored = await t.ctx.issuance.get(issued.id);
    const again = await createCertificateStore(t.ctx).get(stored!);
    expect(again?.bytes.equals(first.pdf)).toBe(true);
    expect(again?.etag).toBe(first.headers.etag);
    const cached = await request(t.app).get(`${pathOf(issued.url)}/certificate.pdf`).set('If-None-Match', first.headers.etag!).expect(304);
    expect(cached.body).toEqual({});
    await certificateOf(issued, { 'If-None-Match': '"another-version"' });
    // Another credential, another certificate.
    const other = await certificateOf(await issue({ recipient: { email: 'zydrune@example.org', name: 'Žydrūnė Šačkauskaitė' }, language: 'lt' }));
    expect(other.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers 410 credential_revoked once the badge is revoked, even after it was served', async () => {
    const issued = await issue({ recipient: { email: 'niccolo@example.org', name: 'Niccolò Giuffrè' }, language: 'it' });
    await certificateOf(issued);
    await request(t.app).post(`/api/v1/credentials/${issued.id}/revoke`).set('Authorization', `Bearer ${t.apiKey}`).send({ reason: 'Issued by mistake' }).expect(200);
    const res = await request(t.app).get(`${pathOf(issued.url)}/certificate.pdf`).expect(410);
    expect(res.body.error.code).toBe('credential_revoked');
    expect(res.body.error.message).toMatch(/revoked/);
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('answers 404 credential_not_found for an unknown or malformed id, never a 500', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', randomUUID().toUpperCase(), '%E2%80%AE', '..%2F..%2Fetc', 'a'.repeat(2000)]) {
      const res = await request(t.app).get(`/credentials/${id}/certificate.pdf`);
      expect({ id, status: res.status }).toEqual({ id, status: 404 });
      expect(res.body.error.code).toBe('credential_not_found');
    }
  });
});

describe('the credential page', () => {
  it('links to the certificate while the badge stands, and not once it is revoked', async () => {
    const issued = await issue({ recipient: { email: 'niccolo@example.org', name: 'Niccolò Giuffrè' }, language: 'it' });
    const page = () => request(t.app).get(`${pathOf(issued.url)}?lang=it`).set('Accept', 'text/html').expect(200);
    expect((await page()).text).toContain(`href="${issued.url}/certificate.pdf"`);
    expect((await page()).text).toContain('Attestato (PDF)');
    await request(t.app).post(`/api/v1/credentials/${issued.id}/revoke`).set('Authorization', `Bearer ${t.apiKey}`).send({ reason: 'Issued by mistake' }).expect(200);
    expect((await page()).text).not.toContain('/certificate.pdf');
  });
});

describe('renderCertificate', () => {
  it('stays on one page, saying how many more competences the online page lists', async () => {
    const competences = Array.from({ length: 30 }, (_, i) => ({ name: `Competence number ${i + 1}`, framework: 'ESCO' }));
    const pdf = await renderCertificate({
      language: 'en',
      url: 'https://badges.example.org/credentials/0b6a3e4c-5d3f-4a52-9a1e-2f6f7c1d8e90',
      badgeName: 'A badge with a long name that needs more than one line on the page',
      description: 'A long description. '.repeat(60),
      competences,
      recipientName: 'Maria Rossi',
      issuer: { name: 'Care Skills Academy', url: 'https://care-academy.example.eu/' },
      awardedOn: '2026-03-10T09:30:00Z',
    });
    expect(infoField(infoOf(pdf), 'Pages')).toBe('1');
    const text = textOf(pdf);
    const shown = competences.filter((c) => text.includes(`${c.name} (ESCO)`)).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(competences.length);
    expect(text).toContain(`and ${competences.length - shown} more, listed on the online page`);
    expect(await qrOf(pdf)).toBe('https://badges.example.org/credentials/0b6a3e4c-5d3f-4a52-9a1e-2f6f7c1d8e90');
  });
});
