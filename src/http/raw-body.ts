import type { Request } from 'express';
import busboy from 'busboy';
import { AppError } from '../errors/errors.js';

/** Reads a whole request body up to `limit` bytes (413 beyond it). */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new AppError('payload_too_large', `the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

/** multipart/form-data with a few small fields and files, each file up to `fileLimit` bytes. */
export function readMultipart(req: Request, fileLimit: number): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: fileLimit, files: 2, fields: 10, fieldSize: fileLimit, parts: 12 } });
    } catch {
      reject(new AppError('unsupported_media_type', 'the multipart body has no boundary'));
      return;
    }
    const form: MultipartForm = { fields: {}, files: {} };
    let failed: AppError | undefined;
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failed ??= new AppError('payload_too_large', `the field "${name}" is too large`);
      form.fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (failed ??= new AppError('payload_too_large', `the file is larger than ${fileLimit} bytes`)));
      stream.on('close', () => {
        form.files[name] = Buffer.concat(chunks);
      });
    });
    parser.on('error', () => reject(new AppError('bad_request', 'the multipart body could not be read')));
    parser.on('close', () => (failed ? reject(failed) : resolve(form)));
    req.pipe(parser);
  });
}
