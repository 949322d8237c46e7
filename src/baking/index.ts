export { BakingError, isBakingError } from './errors.js';
export type { BakingErrorCode } from './errors.js';
export { bakePng, pngBaker, unbakePng, PNG_CREDENTIAL_KEYWORD } from './png.js';
export { bakeSvg, unbakeSvg, OB3_SVG_NAMESPACE } from './svg.js';
export type { SvgCredential } from './svg.js';
export { detectImageFormat } from './detect.js';
