// API keys. The configuration holds only SHA-256 hashes of the keys, each tied to the source it may post
// for; the keys themselves are shown once, when created. API keys are long random strings, so a fast hash
// is enough (a slow password hash protects guessable secrets, which these are not).
import { createHash, randomBytes } from 'node:crypto';

export interface ApiKeyEntry {
  source: string;
  sha256: string;
}

export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key for a source, and the `API_KEYS` entry that admits it. */
export function createApiKey(source: string): { key: string; entry: string } {
  const key = `smc_${randomBytes(32).toString('base64url')}`;
  return { key, entry: `${source}:${hashApiKey(key)}` };
}

/** Parses `source:sha256hex,source:sha256hex`; throws with the offending entry's position. */
export function parseApiKeys(value: string): ApiKeyEntry[] {
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return entries.map((entry, index) => {
    const [source, sha256, ...rest] = entry.split(':');
    if (source === undefined || sha256 === undefined || rest.length > 0) {
      throw new Error(`entry ${index + 1} must be "source:sha256-of-key"`);
    }
    if (!SOURCE_PATTERN.test(source)) {
      throw new Error(`entry ${index + 1}: source must be lowercase letters, digits and "-"`);
    }
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new Error(`entry ${index + 1}: the hash must be 64 lowercase hex digits (smc-bridge keys new <source>)`);
    }
    return { source, sha256 };
  });
}

/** Which source a presented key belongs to, if any. */
export function sourceForKey(entries: readonly ApiKeyEntry[], presentedKey: string): string | undefined {
  const digest = hashApiKey(presentedKey);
  return entries.find((entry) => entry.sha256 === digest)?.source;
}
