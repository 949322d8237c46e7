import { encode } from 'fast-png';

/**
 * A small PNG standing in for a baked badge: noisy pixels, so the file holds every byte value and
 * a transfer encoding that mangled any of them would show.
 */
export function testBadgePng(seed = 7): Buffer {
  const width = 32;
  const height = 32;
  const data = new Uint8Array(width * height * 4);
  let state = seed;
  for (let i = 0; i < data.length; i += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[i] = state >>> 24;
  }
  return Buffer.from(encode({ width, height, data, channels: 4, depth: 8 }));
}
