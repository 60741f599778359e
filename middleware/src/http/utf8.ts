// Request bodies must be UTF-8 (RFC 8259 §8.1). Decoding other bytes does not fail: each invalid sequence
// silently becomes U+FFFD, so a name typed on a misconfigured device would be stored altered. The bytes are
// checked before they are decoded, and a body that is not UTF-8 is refused.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const NOT_UTF8 = 'the body is not valid UTF-8 text';

/** body-parser's `verify` hook: refuses a body whose bytes are not UTF-8 (answered 400 by the app's error handler). */
export function verifyUtf8(_req: IncomingMessage, _res: ServerResponse, bytes: Buffer): void {
  if (!isUtf8(bytes)) throw new Error(NOT_UTF8);
}
