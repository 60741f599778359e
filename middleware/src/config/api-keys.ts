// API keys. The configuration holds only SHA-256 hashes of the keys, each with the scope it grants and the
// name it speaks for; the keys themselves are shown once, when created. API keys are long random strings,
// so a fast hash is enough (a slow password hash protects guessable secrets, which these are not).
//
// Scopes (DESIGN.md §2, "each caller sees only its own"):
// - clinic: a clinic system; posts encounters of its own source and reads their status, nothing else.
// - app: the DHIS2 Route of the clinicians' app; like clinic, on the app's endpoints only (/api/v1/app/…),
//   where the DHIS2 username the Route adds (X-Forwarded-User) is trusted.
// - operator: operations; reads any source's status and provenance, lists and replays dead letters.
import { createHash, randomBytes } from 'node:crypto';

export const KEY_SCOPES = ['clinic', 'app', 'operator'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface ApiKeyEntry {
  scope: KeyScope;
  /** The source a clinic or app key posts for; an operator key's name (for the logs of who replayed). */
  source: string;
  sha256: string;
}

export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key, and the `API_KEYS` entry that admits it with its scope. */
export function createApiKey(source: string, scope: KeyScope = 'clinic'): { key: string; entry: string } {
  const key = `smc_${randomBytes(32).toString('base64url')}`;
  return { key, entry: `${scope === 'clinic' ? '' : `${scope}:`}${source}:${hashApiKey(key)}` };
}

/**
 * Parses comma-separated entries `[scope:]name:sha256hex` (no scope means clinic); throws with the
 * offending entry's position.
 */
export function parseApiKeys(value: string): ApiKeyEntry[] {
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return entries.map((entry, index) => {
    const parts = entry.split(':');
    if (parts.length < 2 || parts.length > 3) throw new Error(`entry ${index + 1} must be "[scope:]name:sha256-of-key"`);
    const [scope, source, sha256] = (parts.length === 2 ? ['clinic', ...parts] : parts) as [string, string, string];
    if (!(KEY_SCOPES as readonly string[]).includes(scope)) {
      throw new Error(`entry ${index + 1}: the scope must be one of ${KEY_SCOPES.join(', ')}`);
    }
    if (!SOURCE_PATTERN.test(source)) {
      throw new Error(`entry ${index + 1}: the name must be lowercase letters, digits and "-"`);
    }
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new Error(`entry ${index + 1}: the hash must be 64 lowercase hex digits (smc-bridge keys new <name>)`);
    }
    return { scope: scope as KeyScope, source, sha256 };
  });
}

/** Whose a presented key is, if anyone's. */
export function callerForKey(entries: readonly ApiKeyEntry[], presentedKey: string): ApiKeyEntry | undefined {
  const digest = hashApiKey(presentedKey);
  return entries.find((entry) => entry.sha256 === digest);
}
