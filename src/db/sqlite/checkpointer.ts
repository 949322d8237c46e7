import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from '../client.js';

/** How often the background thread checkpoints; a checkpoint with nothing to copy costs microseconds. */
const EVERY_MS = 200;
/**
 * The commit that crosses this many pages of log checkpoints itself, as SQLite does at 1,000 by
 * default: only if the background thread cannot keep up (or has stopped), so the log stays bounded.
 */
const FALLBACK_PAGES = 20_000;

/**
 * The thread's code, plain CommonJS: it needs nothing of the service but the driver, so it runs
 * the same from the TypeScript sources and the compiled service. PASSIVE never waits for the
 * writer: it copies what is committed and not read by an open transaction, and the next write
 * starts the log from its beginning once all of it was copied.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { setPriority, getPriority, constants } = require('node:os');
const Database = require(workerData.driver);
if (process.platform === 'linux') {
  try { setPriority(0, Math.max(getPriority(0), constants.priority.PRIORITY_BELOW_NORMAL)); } catch {}
}
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.every);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  close(): Promise<void>;
}

/** Checkpoints the database's write-ahead log from a worker thread with its own connection. */
export function startCheckpointer(db: Db): Checkpointer {
  const file = db.$client.name;
  db.$client.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { file, driver, every: EVERY_MS } });
  // Never what keeps the process alive; if it fails, the fallback above checkpoints in the commits.
  worker.unref();
  worker.on('error', () => {
    // The commits checkpoint again, as SQLite does by default (unless the database is closed already).
    if (db.$client.open) db.$client.pragma('wal_autocheckpoint = 1000');
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (worker.threadId === -1) return resolve();
        worker.once('exit', () => resolve());
        // Held by the process until it has exited: awaited unreferenced, the process would end here.
        worker.ref();
        worker.postMessage('close');
      }),
  };
}
