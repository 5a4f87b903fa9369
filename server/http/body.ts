import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';

/** The largest request body the holder reads: a sign-in is well under 4 KB. */
export const MAX_BODY_BYTES = 16 * 1024;
/** A body that has not arrived by then is refused, so a slow sender holds nothing open. */
export const BODY_TIMEOUT_MS = 5_000;

/** Reads a JSON body: exactly `application/json`, at most `limit` bytes, within `timeoutMs`. */
export function readJsonBody(request: IncomingMessage, { limit = MAX_BODY_BYTES, timeoutMs = BODY_TIMEOUT_MS } = {}): Promise<unknown> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return Promise.reject(new HttpError(415, 'unsupported-media-type'));
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.reject(new HttpError(413, 'body-too-large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: HttpError) => {
      clearTimeout(timer);
      request.removeAllListeners('data');
      request.resume();
      reject(error);
    };
    const timer = setTimeout(() => fail(new HttpError(408, 'body-timeout')), timeoutMs);
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(new HttpError(413, 'body-too-large'));
      chunks.push(chunk);
    });
    request.on('error', () => fail(new HttpError(400, 'body-unreadable')));
    request.on('end', () => {
      clearTimeout(timer);
      if (size > limit) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'invalid-json'));
      }
    });
  });
}
