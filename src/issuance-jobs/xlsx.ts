import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MAX_ROWS, SheetError } from './spreadsheet.js';

/**
 * Excel workbooks (.xlsx), read with read-excel-file in a worker thread of their own. An .xlsx is a zip:
 * a few megabytes can inflate to gigabytes, so the thread has a heap limit and a deadline; a file that
 * reaches either is refused in plain words, and the service goes on.
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A zip's first bytes (`PK\x03\x04`): what every .xlsx starts with, and no CSV does. */
export const looksLikeXlsx = (bytes: Uint8Array): boolean => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

const fromSources = extname(fileURLToPath(import.meta.url)) === '.ts';
const WORKER = new URL(fromSources ? './xlsx-worker-tsx.mjs' : './xlsx-worker.js', import.meta.url);

export interface XlsxLimits {
  /** The thread's heap, in MiB. */
  heapMb: number;
  /** Bytes the workbook's parts may unpack to, all together. */
  unpackedBytes: number;
  /** How long reading may take. */
  timeoutMs: number;
}

export const XLSX_LIMITS: XlsxLimits = { heapMb: 256, unpackedBytes: 100 * 1024 * 1024, timeoutMs: 20_000 };

/** The first sheet's rows, each cell as text (dates as 2026-12-31), the header included. */
export function readXlsx(bytes: Uint8Array, options: Partial<XlsxLimits> = {}): Promise<string[][]> {
  const limits = { ...XLSX_LIMITS, ...options };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { bytes, maxRows: MAX_ROWS + 2, inflateCap: limits.unpackedBytes },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (error: Error | undefined, rows?: string[][]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error) reject(error);
      else resolve(rows!);
    };
    const timer = setTimeout(() => finish(new SheetError('the workbook takes too long to read: save it as “CSV UTF-8” and upload that')), limits.timeoutMs);
    const tooLarge = () => new SheetError('the workbook is too large once unpacked: save it as “CSV UTF-8” and upload that');
    worker.once('message', (answer: { rows?: string[][]; tooLarge?: boolean }) => finish(answer.rows ? undefined : tooLarge(), answer.rows));
    worker.once('error', (e: Error & { code?: string }) =>
      finish(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooLarge() : new SheetError('the file is not a workbook this service can read (.xlsx): save it as “CSV UTF-8” and upload that'),
      ),
    );
    worker.once('exit', (code) => finish(new SheetError(`the workbook could not be read (the reader stopped with code ${code})`)));
  });
}
