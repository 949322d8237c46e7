import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { decode } from 'fast-png';
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import { bakePng, unbakePng, BakingError } from '../../src/baking/index.js';
import type { BakingErrorCode } from '../../src/baking/index.js';

const credentialJson = readFileSync(new URL('../fixtures/ob3-spec/ob3-spec-test-vector-signed.json', import.meta.url), 'utf8');
const badgeSvg = readFileSync(new URL('../fixtures/baking/badge.svg', import.meta.url));
// A VC-JWT shape (header.payload.signature); baking does not verify it.
const jws = 'eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6ejZNayN6Nk1rIn0.eyJpc3MiOiJkaWQ6a2V5Ono2TWsiLCJqdGkiOiJ1cm46dXVpZDox' +
  'In0.c2lnbmF0dXJlLW5vdC12ZXJpZmllZC1oZXJl';
const KEYWORD = 'openbadgecredential';

let plainPng: Buffer;
beforeAll(async () => {
  plainPng = await sharp(badgeSvg).resize(64, 64).png().toBuffer();
});

/** The iTXt fields, split here rather than by the code under test (PNG §11.3.4.5). */
function splitITxt(data: Uint8Array) {
  const bytes = Buffer.from(data);
  const keywordEnd = bytes.indexOf(0);
  const languageEnd = bytes.indexOf(0, keywordEnd + 3);
  const translatedEnd = bytes.indexOf(0, languageEnd + 1);
  return {
    keyword: bytes.subarray(0, keywordEnd).toString('latin1'),
    compressionFlag: bytes[keywordEnd + 1],
    compressionMethod: bytes[keywordEnd + 2],
    languageTag: bytes.subarray(keywordEnd + 3, languageEnd).toString('latin1'),
    translatedKeyword: bytes.subarray(languageEnd + 1, translatedEnd).toString('utf8'),
    text: bytes.subarray(translatedEnd + 1),
  };
}

function iTxtChunk(keyword: string, text: string, compressed = false) {
  const body = compressed ? deflateSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8');
  return { name: 'iTXt', data: Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Uint8Array.of(compressed ? 1 : 0, 0, 0, 0), body]) };
}

function credentialChunks(png: Uint8Array) {
  return extractChunks(png).filter((c) => c.name === 'iTXt' && splitITxt(c.data).keyword === KEYWORD);
}

/** Inserts chunks right after IHDR, i.e. before PLTE/IDAT, where libpng reads text while reading the header. */
function withChunksAfterIhdr(png: Uint8Array, ...extra: { name: string; data: Uint8Array }[]): Buffer {
  const chunks = extractChunks(png);
  chunks.splice(1, 0, ...extra);
  return Buffer.from(encodeChunks(chunks));
}

function codeOf(fn: () => unknown): BakingErrorCode | 'no error' | 'not a BakingError' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof BakingError ? e.code : 'not a BakingError';
  }
}

describe('bakePng', () => {
  it('writes one uncompressed openbadgecredential iTXt chunk with empty language tag and translated keyword, just before IEND', () => {
    const baked = bakePng(plainPng, credentialJson);
    const chunks = extractChunks(baked);
    const names = chunks.map((c) => c.name);
    expect(names[names.length - 1]).toBe('IEND');
    expect(names[names.length - 2]).toBe('iTXt');
    expect(names.lastIndexOf('IDAT')).toBeLessThan(names.length - 2);

    const found = credentialChunks(baked);
    expect(found).toHaveLength(1);
    const fields = splitITxt(found[0]!.data);
    expect(fields).toMatchObject({ keyword: KEYWORD, compressionFlag: 0, compressionMethod: 0, languageTag: '', translatedKeyword: '' });
    expect(fields.text.toString('utf8')).toBe(credentialJson);
  });

  it('writes a chunk that libpng (through sharp) reads back as the exact credential text', async () => {
    const baked = bakePng(plainPng, credentialJson);
    // libpng reports text chunks only when they come before the image data, so move our chunk there unchanged.
    const moved = withChunksAfterIhdr(plainPng, ...credentialChunks(baked));
    const { comments } = await sharp(moved).metadata();
    expect(comments).toEqual([{ keyword: KEYWORD, text: credentialJson }]);
  });

  it('keeps non-ASCII text intact as UTF-8', async () => {
    const json = JSON.stringify({ ...JSON.parse(credentialJson), name: 'Pflege – Übung ✓ 介護 🩺' });
    const baked = bakePng(plainPng, json);
    expect(unbakePng(baked)).toBe(json);
    const { comments } = await sharp(withChunksAfterIhdr(plainPng, ...credentialChunks(baked))).metadata();
    expect(comments?.[0]?.text).toBe(json);
  });

  it('leaves an image that still decodes with the same size and pixels', async () => {
    const baked = bakePng(plainPng, credentialJson);
    const metadata = await sharp(baked).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: 64, height: 64 });
    await expect(sharp(baked).raw().toBuffer()).resolves.toEqual(await sharp(plainPng).raw().toBuffer());
    const decoded = decode(baked);
    expect([decoded.width, decoded.height]).toEqual([64, 64]);
    expect(decoded.data).toEqual(decode(plainPng).data);
  });

  it('replaces the credential when re-baking, leaving exactly one chunk with the new content', () => {
    const rebaked = bakePng(bakePng(plainPng, credentialJson), jws);
    const found = credentialChunks(rebaked);
    expect(found).toHaveLength(1);
    expect(splitITxt(found[0]!.data).text.toString('utf8')).toBe(jws);
  });

  it('replaces every credential chunk of a PNG that already holds two', () => {
    const twice = withChunksAfterIhdr(plainPng, iTxtChunk(KEYWORD, '{"a":1}'), iTxtChunk(KEYWORD, '{"b":2}'));
    const baked = bakePng(twice, jws);
    expect(credentialChunks(baked)).toHaveLength(1);
    expect(unbakePng(baked)).toBe(jws);
  });

  it('leaves other text chunks alone, including an OB 2.0 openbadges chunk', () => {
    const withOthers = withChunksAfterIhdr(plainPng, iTxtChunk('openbadges', 'https://example.org/assertion/1'), { name: 'tEXt', data: Buffer.from('Software\0care-badges') });
    const names = (png: Uint8Array) => extractChunks(png).map((c) => `${c.name}:${Buffer.from(c.data.subarray(0, 10)).toString('latin1')}`);
    const baked = bakePng(withOthers, credentialJson);
    expect(names(baked).filter((n) => !n.startsWith('iTXt:openbadgec'))).toEqual(names(withOthers));
  });

  it('rejects input that is not a PNG with not_png', () => {
    expect(codeOf(() => bakePng(badgeSvg, credentialJson))).toBe('not_png');
    expect(codeOf(() => bakePng(new Uint8Array(0), credentialJson))).toBe('not_png');
    expect(codeOf(() => bakePng(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46), credentialJson))).toBe('not_png');
  });

  it('rejects a payload that is neither credential JSON nor a compact JWS with invalid_payload', () => {
    expect(codeOf(() => bakePng(plainPng, ''))).toBe('invalid_payload');
    expect(codeOf(() => bakePng(plainPng, '[object Object]'))).toBe('invalid_payload');
    expect(codeOf(() => bakePng(plainPng, '["not", "an object"]'))).toBe('invalid_payload');
    expect(codeOf(() => bakePng(plainPng, 'a.b.c\0'))).toBe('invalid_payload');
  });
});

describe('unbakePng', () => {
  it('returns the baked credential JSON exactly', () => {
    expect(unbakePng(bakePng(plainPng, credentialJson))).toBe(credentialJson);
  });

  it('round-trips a compact JWS', () => {
    expect(unbakePng(bakePng(plainPng, jws))).toBe(jws);
  });

  it('returns undefined for a PNG without a credential', () => {
    expect(unbakePng(plainPng)).toBeUndefined();
  });

  it('finds a credential chunk placed before IDAT', () => {
    const early = withChunksAfterIhdr(plainPng, iTxtChunk(KEYWORD, credentialJson));
    const names = extractChunks(early).map((c) => c.name);
    expect(names.indexOf('iTXt')).toBeLessThan(names.indexOf('IDAT'));
    expect(unbakePng(early)).toBe(credentialJson);
  });

  it('rejects a PNG with two credential chunks with multiple_credentials', () => {
    const baked = bakePng(plainPng, credentialJson);
    const twice = withChunksAfterIhdr(baked, iTxtChunk(KEYWORD, jws));
    expect(credentialChunks(twice)).toHaveLength(2);
    expect(codeOf(() => unbakePng(twice))).toBe('multiple_credentials');
  });

  it('ignores an OB 2.0 openbadges chunk', () => {
    const ob2 = withChunksAfterIhdr(plainPng, iTxtChunk('openbadges', 'https://example.org/assertion/1'));
    expect(unbakePng(ob2)).toBeUndefined();
    expect(unbakePng(bakePng(ob2, jws))).toBe(jws);
  });

  it('reads a compressed chunk written by another issuer', () => {
    const compressed = withChunksAfterIhdr(plainPng, iTxtChunk(KEYWORD, credentialJson, true));
    expect(unbakePng(compressed)).toBe(credentialJson);
  });

  it('rejects input that is not a PNG with not_png', () => {
    expect(codeOf(() => unbakePng(badgeSvg))).toBe('not_png');
    expect(codeOf(() => unbakePng(Buffer.from(credentialJson)))).toBe('not_png');
  });

  it('rejects a truncated PNG or one with a bad CRC with invalid_image', () => {
    const baked = bakePng(plainPng, credentialJson);
    expect(codeOf(() => unbakePng(baked.subarray(0, baked.length - 40)))).toBe('invalid_image');
    const corrupted = Buffer.from(baked);
    const inText = corrupted.length - 30; // inside the iTXt text, so its CRC no longer matches
    corrupted.writeUInt8(corrupted.readUInt8(inText) ^ 0xff, inText);
    expect(codeOf(() => unbakePng(corrupted))).toBe('invalid_image');
  });

  it('rejects a chunk length that points past the end of the file without allocating it', () => {
    const header = plainPng.subarray(0, 8 + 25); // signature and IHDR
    const huge = Buffer.concat([header, Uint8Array.of(0x7f, 0xff, 0xff, 0xff), Buffer.from('iTXt')]);
    expect(codeOf(() => unbakePng(huge))).toBe('invalid_image');
  });
});
