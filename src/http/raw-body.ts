import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { AppError } from '../errors/errors.js';

/** `524288` → `512 KiB`, for messages that name a limit. */
function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

const tooLarge = (what: string, limit: number) => new AppError('payload_too_large', `${what} is larger than the limit of ${formatBytes(limit)}`);
const aborted = () => new AppError('request_aborted', 'the client closed the connection before the request body ended');

/** The Content-Length the client declared, if it is a plain number. */
function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

/**
 * Calls `onAbort` once if the client goes away before the body has ended: 'aborted', a 'close'
 * before completion, or an 'error' on the request (which, with no listener, would be thrown).
 * Returns a function that detaches them.
 */
function watchAbort(req: IncomingMessage, onAbort: () => void): () => void {
  const onClose = () => {
    if (!req.complete) onAbort();
  };
  req.on('aborted', onAbort);
  req.on('close', onClose);
  req.on('error', onAbort);
  return () => {
    req.off('aborted', onAbort);
    req.off('close', onClose);
    req.off('error', onAbort);
  };
}

/**
 * Stops taking a body we have refused. The bytes still on the wire are read and dropped, not
 * kept, so that the 413 or 400 can reach the client on a connection left in a known state; the
 * server's requestTimeout bounds how long a client can keep sending.
 */
function discardRest(req: IncomingMessage): void {
  if (!req.destroyed && !req.readableEnded) req.resume();
}

/**
 * What is known before reading: a body already gone (the client left) or already read, or one
 * declared larger than the limit. Undefined when reading may start.
 */
function before(req: IncomingMessage, limit: number, what: string): { error: AppError } | { empty: true } | undefined {
  if (req.destroyed || req.readableAborted) return { error: aborted() };
  // Someone read the body before us; there is nothing left, and no 'end' will come.
  if (req.readableEnded) return { empty: true };
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limit) {
    discardRest(req);
    return { error: tooLarge(what, limit) };
  }
  return undefined;
}

/**
 * Reads a whole request body up to `limit` bytes, or refuses with 413 `payload_too_large`
 * naming `what` and the limit. A declared Content-Length over the limit is refused before
 * anything is read. A client that disconnects first gets 400 `request_aborted`: the promise
 * always settles.
 */
export function readRawBody(req: IncomingMessage, limit: number, what = 'the request body'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const known = before(req, limit, what);
    if (known) return void ('error' in known ? reject(known.error) : resolve(Buffer.alloc(0)));
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: AppError | undefined) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      unwatch();
      if (error) {
        chunks = [];
        discardRest(req);
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge(what, limit));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const unwatch = watchAbort(req, () => finish(aborted()));
    req.on('data', onData);
    req.on('end', onEnd);
  });
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
  /** Each file's name as the browser sent it (untrusted: shown as text only). */
  fileNames: Record<string, string>;
}

export interface MultipartLimits {
  /** Bytes in one file part. */
  fileSize: number;
  /** Bytes in one field value. */
  fieldSize: number;
  /** Bytes in the whole body, boundaries and part headers included. */
  total: number;
  files: number;
  fields: number;
  /** Files and fields together. */
  parts: number;
}

/**
 * multipart/form-data with a few small fields and files, within `limits`. Every way a body can
 * go wrong settles the promise: too large or too many parts is a 413, a body cut off before its
 * closing boundary a 400 `bad_request`, a client that disconnects a 400 `request_aborted`. Then
 * the parser is unpiped and destroyed and what was buffered is dropped.
 */
export function readMultipart(req: IncomingMessage, limits: MultipartLimits): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    const known = before(req, limits.total, 'the multipart body');
    if (known) return void ('error' in known ? reject(known.error) : resolve({ fields: {}, files: {}, fileNames: {} }));
    let parser: busboy.Busboy;
    try {
      // busboy emits 'partsLimit' when the count reaches `parts`, not when it passes it (unlike
      // 'filesLimit' and 'fieldsLimit'), hence the + 1.
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: limits.fileSize, fieldSize: limits.fieldSize, files: limits.files, fields: limits.fields, parts: limits.parts + 1 },
      });
    } catch {
      discardRest(req);
      reject(new AppError('unsupported_media_type', 'the multipart body has no boundary'));
      return;
    }

    let form: MultipartForm = { fields: {}, files: {}, fileNames: {} };
    let size = 0;
    let settled = false;
    const finish = (error: AppError | undefined) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      unwatch();
      if (error) {
        req.unpipe(parser);
        // Not now: we may be inside one of busboy's own callbacks, and it reads its state after
        // they return. Destroying it destroys the open file stream too; both 'error's are handled.
        process.nextTick(() => parser.destroy());
        form = { fields: {}, files: {}, fileNames: {} };
        discardRest(req);
        reject(error);
      } else {
        resolve(form);
      }
    };

    // busboy caps each part, not the whole body.
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.total) finish(tooLarge('the multipart body', limits.total));
    };
    const unwatch = watchAbort(req, () => finish(aborted()));

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) finish(tooLarge(`the field "${name}"`, limits.fieldSize));
      else if (!settled) form.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (typeof info?.filename === 'string') form.fileNames[name] = info.filename.slice(0, 200);
      let chunks: Buffer[] = [];
      // A file stream that errors (the body ended inside it, or the parser was destroyed) with
      // no listener would be thrown as an uncaught exception.
      stream.on('error', () => {
        chunks = [];
        finish(new AppError('bad_request', 'the multipart body ended inside a file'));
      });
      stream.on('data', (c: Buffer) => {
        if (!settled) chunks.push(c);
      });
      stream.on('limit', () => finish(tooLarge(`the file "${name}"`, limits.fileSize)));
      // 'end', not 'close': busboy signals the end of the form only after every file's 'end'.
      stream.on('end', () => {
        if (!settled) form.files[name] = Buffer.concat(chunks);
      });
    });
    // Past these busboy silently skips the remaining parts; a form that large is not one of ours.
    parser.on('partsLimit', () => finish(new AppError('payload_too_large', `the multipart body has more than ${limits.parts} parts`)));
    parser.on('filesLimit', () => finish(new AppError('payload_too_large', `the multipart body has more than ${limits.files} files`)));
    parser.on('fieldsLimit', () => finish(new AppError('payload_too_large', `the multipart body has more than ${limits.fields} fields`)));
    parser.on('error', () => finish(new AppError('bad_request', 'the multipart body could not be read: it is malformed or ends before its closing boundary')));
    parser.on('close', () => finish(undefined));

    req.on('data', onData);
    req.pipe(parser);
  });
}
