// Structured logs with pino. Nothing here logs request bodies; the redaction list is the second line of
// defence for secrets and patient data that might still reach a log call.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'password',
  'token',
  'apiKey',
  '*.password',
  '*.token',
  '*.apiKey',
  'patient',
  '*.patient',
  'encounter.patient',
  'body',
  '*.body',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'smc-bridge' } };
  return destination ? pino(options, destination) : pino(options);
}
