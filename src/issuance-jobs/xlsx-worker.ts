import { parentPort, workerData } from 'node:worker_threads';
import { Unzip, UnzipInflate } from 'fflate';
import { readSheet } from 'read-excel-file/node';

/**
 * Reads the first sheet of a workbook in a thread of its own (src/issuance-jobs/xlsx.ts starts it with
 * a memory limit and a deadline). An .xlsx is a zip, and a few megabytes can inflate to gigabytes:
 * before the reader sees it, every part is inflated here a little at a time and counted, and a file
 * that unpacks to more than the cap is refused (what its headers claim counts for nothing). Every cell
 * comes back as text, as a CSV would give it.
 */
const { bytes, maxRows, inflateCap } = workerData as { bytes: Uint8Array; maxRows: number; inflateCap: number };

class TooLarge extends Error {}

/** Inflates every part, 16 KiB of the zip at a time (at most about 16 MiB inflated at once), up to the cap. */
function checkUnpackedSize(zip: Uint8Array): void {
  let total = 0;
  const unzip = new Unzip((file) => {
    file.ondata = (error, chunk) => {
      if (error) throw error;
      total += chunk.length;
      if (total > inflateCap) throw new TooLarge();
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const STEP = 16 * 1024;
  for (let at = 0; at < zip.length; at += STEP) unzip.push(zip.subarray(at, at + STEP), at + STEP >= zip.length);
}

const cellText = (cell: unknown): string => {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return '';
    const iso = cell.toISOString();
    // A date without a time of day, as most date cells are: written as a day.
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(cell);
};

try {
  checkUnpackedSize(bytes);
} catch (e) {
  if (!(e instanceof TooLarge)) throw e;
  parentPort!.postMessage({ tooLarge: true });
  process.exit(0);
}
const rows = await readSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
parentPort!.postMessage({ rows: rows.slice(0, maxRows).map((row) => row.map(cellText)) });
