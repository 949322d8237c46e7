export type BakingErrorCode =
  /** The bytes are not a PNG file (signature missing). */
  | 'not_png'
  /** The text is not well-formed XML whose root is `<svg>` in the SVG namespace. */
  | 'not_svg'
  /** The image holds more than one Open Badges 3.0 credential (OB 3.0 §5.3: exactly one). */
  | 'multiple_credentials'
  /** The file has the right format but is damaged (bad chunk, bad CRC, empty credential element...). */
  | 'invalid_image'
  /** What was to be baked is neither credential JSON nor a compact JWS, or cannot be carried by the format. */
  | 'invalid_payload';

export class BakingError extends Error {
  readonly code: BakingErrorCode;

  constructor(code: BakingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BakingError';
    this.code = code;
  }
}

export const isBakingError = (e: unknown): e is BakingError => e instanceof BakingError;
