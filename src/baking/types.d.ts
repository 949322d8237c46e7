// Minimal typings for the PNG chunk packages, which ship JavaScript only.
declare module 'png-chunks-extract' {
  interface PngChunk {
    name: string;
    data: Uint8Array;
  }
  /** Splits a PNG file into its chunks (up to and including IEND); throws on a bad signature or CRC. */
  function extractChunks(data: Uint8Array): PngChunk[];
  export = extractChunks;
}

declare module 'png-chunks-encode' {
  /** Joins chunks into a PNG file, writing the signature, lengths and CRCs. */
  function encodeChunks(chunks: ReadonlyArray<{ name: string; data: Uint8Array }>): Uint8Array;
  export = encodeChunks;
}
