import QRCode from 'qrcode';

/**
 * The dark modules of a QR code for `text`, as horizontal runs per row, so that a drawing can fill
 * one rectangle per run. Error correction level M (ISO/IEC 18004: about 15 % of the symbol can be
 * restored) survives a crease or a stain on paper and keeps a credential URL at version 5 or 6
 * (37 or 41 modules a side): about 1 mm modules at the printed size, easy for any phone.
 */
export function qrRuns(text: string): { size: number; runs: Array<{ row: number; col: number; length: number }> } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const runs: Array<{ row: number; col: number; length: number }> = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) !== 0;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push({ row, col: start, length: col - start });
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}
