import { AppError } from '../../core/errors.ts';

/** Reads a request body as UTF-8 text, refusing it as soon as it passes `maxBytes` (declared or streamed). */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError('payload_too_large', `the body is ${declared} bytes; at most ${maxBytes} are accepted`);
  }
  // Issue 14: with a declared length within the limit the body is read whole: the HTTP parser delivers exactly that
  // many bytes, and on Node the adapter (asked for neither `body` nor a stream) reads it straight from the socket
  // instead of building a web Request and stream, ~130 us of CPU less per small form post. Without a declared
  // length the body is streamed and cut off at the limit.
  if (Number.isFinite(declared)) {
    const whole = new Uint8Array(await request.arrayBuffer());
    if (whole.byteLength > maxBytes) throw new AppError('payload_too_large', `the body is over ${maxBytes} bytes`);
    return decodeUtf8(whole);
  }
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError('payload_too_large', `the body is over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    all.set(ch, at);
    at += ch.byteLength;
  }
  return decodeUtf8(all);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError('bad_request', 'the body is not valid UTF-8 text');
  }
}
