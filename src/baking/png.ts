import { inflateSync } from 'node:zlib';
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import { BakingError } from './errors.js';
import { assertPayload } from './payload.js';

/** OB 3.0 §5.3.1: the iTXt keyword that carries an Open Badges 3.0 credential. */
export const PNG_CREDENTIAL_KEYWORD = 'openbadgecredential';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
/** PNG §5.3: a chunk length is at most 2^31 - 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;
/** A compressed chunk from another issuer is inflated to at most this much, so a zip bomb cannot exhaust memory. */
const MAX_INFLATED_TEXT = 16 * 1024 * 1024;

interface PngChunk {
  name: string;
  data: Uint8Array;
}

export function hasPngSignature(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * Bakes a credential into a PNG: one uncompressed `iTXt` chunk with keyword `openbadgecredential`, placed just
 * before IEND as in 1EdTech's fixtures. `payload` is the credential JSON (embedded proof) or a compact JWS
 * (VC-JWT). A credential already baked into the image is replaced, so the result holds exactly one.
 */
export function bakePng(png: Uint8Array, payload: string): Buffer {
  return pngBaker(png)(payload);
}

/**
 * `bakePng` for many credentials in one image: the image's chunks are read and encoded once, and each
 * credential costs only its own chunk. The bytes are the same as `bakePng`'s.
 */
export function pngBaker(png: Uint8Array): (payload: string) => Buffer {
  const kept = readChunks(png).filter((chunk) => !isCredentialChunk(chunk));
  // extractChunks stops at IEND and always returns it last.
  const iend = kept.pop()!;
  const head = encodeChunks(kept);
  const tail = withoutSignature(encodeChunks([iend]));
  return (payload) => {
    assertPayload(payload);
    return Buffer.concat([head, withoutSignature(encodeChunks([{ name: 'iTXt', data: encodeCredentialText(payload) }])), tail]);
  };
}

/** png-chunks-encode writes a whole file: the chunks follow the 8-byte signature. */
const withoutSignature = (file: Uint8Array): Uint8Array => file.subarray(PNG_SIGNATURE.length);

/**
 * Reads the credential baked into a PNG: the text of its `openbadgecredential` iTXt chunk, wherever in the file
 * it sits. Returns undefined when there is none. OB 2.0 `openbadges` chunks are not credentials and are ignored.
 */
export function unbakePng(png: Uint8Array): string | undefined {
  const found = readChunks(png).filter(isCredentialChunk);
  // OB 3.0 §5.3.1: the chunk MUST NOT appear more than once; with two we could not tell which one is meant.
  if (found.length > 1) {
    throw new BakingError('multiple_credentials', `the PNG holds ${found.length} "${PNG_CREDENTIAL_KEYWORD}" chunks; a baked badge holds exactly one`);
  }
  const chunk = found[0];
  return chunk === undefined ? undefined : decodeCredentialText(chunk.data);
}

function readChunks(png: Uint8Array): PngChunk[] {
  if (!hasPngSignature(png)) throw new BakingError('not_png', 'the file is not a PNG image (the PNG signature is missing)');
  checkChunkLengths(png);
  try {
    return extractChunks(png);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new BakingError('invalid_image', `the PNG file is damaged: ${reason}`, { cause });
  }
}

/**
 * png-chunks-extract trusts each length field and allocates it before looking at the file size; checking the
 * lengths first keeps a truncated or hostile file from making it allocate gigabytes.
 */
function checkChunkLengths(png: Uint8Array): void {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = PNG_SIGNATURE.length;
  while (offset + 8 <= png.length) {
    const length = view.getUint32(offset);
    const type = Buffer.from(png.subarray(offset + 4, offset + 8)).toString('latin1');
    if (length > MAX_CHUNK_LENGTH || offset + 12 + length > png.length) {
      const name = /^[A-Za-z]{4}$/.test(type) ? `"${type}" chunk` : 'a chunk';
      throw new BakingError('invalid_image', `the PNG file is damaged: ${name} runs past the end of the file`);
    }
    if (type === 'IEND') return;
    offset += 12 + length;
  }
  throw new BakingError('invalid_image', 'the PNG file is damaged: it ends without an IEND chunk');
}

function isCredentialChunk(chunk: PngChunk): boolean {
  if (chunk.name !== 'iTXt') return false;
  const end = chunk.data.indexOf(0);
  return end >= 0 && Buffer.from(chunk.data.subarray(0, end)).toString('latin1') === PNG_CREDENTIAL_KEYWORD;
}

/** PNG §11.3.4.5 iTXt: keyword, NUL, compression flag, compression method, language tag, NUL, translated keyword, NUL, text. */
function encodeCredentialText(payload: string): Buffer {
  return Buffer.concat([
    Buffer.from(PNG_CREDENTIAL_KEYWORD, 'latin1'),
    // OB 3.0 §5.3.1: compression MUST NOT be used (flag 0, method 0); language tag and translated keyword are empty.
    Uint8Array.of(0, 0, 0, 0, 0),
    Buffer.from(payload, 'utf8'),
  ]);
}

function decodeCredentialText(data: Uint8Array): string {
  const keywordEnd = data.indexOf(0);
  const flag = data[keywordEnd + 1];
  const method = data[keywordEnd + 2];
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (flag === undefined || method === undefined || translatedEnd < 0) {
    throw new BakingError('invalid_image', `the "${PNG_CREDENTIAL_KEYWORD}" chunk is damaged: its fields are incomplete`);
  }
  let text = data.subarray(translatedEnd + 1);
  // We never write compressed text, but other issuers might; reading it costs little.
  if (flag === 1 && method === 0) {
    try {
      text = inflateSync(text, { maxOutputLength: MAX_INFLATED_TEXT });
    } catch (cause) {
      throw new BakingError('invalid_image', `the "${PNG_CREDENTIAL_KEYWORD}" chunk is damaged: its compressed text cannot be inflated`, { cause });
    }
  } else if (flag !== 0) {
    throw new BakingError('invalid_image', `the "${PNG_CREDENTIAL_KEYWORD}" chunk uses an unknown compression (flag ${flag}, method ${method})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(text);
  } catch (cause) {
    throw new BakingError('invalid_image', `the "${PNG_CREDENTIAL_KEYWORD}" chunk is damaged: its text is not UTF-8`, { cause });
  }
}
