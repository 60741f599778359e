// The WebMessage envelope every non-GET JSON answer carries since API version 38, and the JSON
// serialisation DHIS2 uses (reference/dhis2-web-api.md §0: key order httpStatus, httpStatusCode, status,
// code, message, devMessage, response, then errorCode; null fields omitted).
import type { Dhis2Response } from './types.js';

export type WebMessageStatus = 'OK' | 'WARNING' | 'ERROR';

/** Spring's `HttpStatus.getReasonPhrase()` for the codes the stand-in answers with. */
const REASON_PHRASES: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Unknown';
}

export interface WebMessageFields {
  httpStatusCode: number;
  status: WebMessageStatus;
  message?: string;
  response?: unknown;
  errorCode?: string;
}

/** The envelope as a plain object in DHIS2's key order; undefined fields vanish when serialised. */
export function webMessage(fields: WebMessageFields): Record<string, unknown> {
  return {
    httpStatus: reasonPhrase(fields.httpStatusCode),
    httpStatusCode: fields.httpStatusCode,
    status: fields.status,
    message: fields.message,
    response: fields.response,
    errorCode: fields.errorCode,
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Dhis2Response {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** A WebMessage answer whose HTTP status equals its httpStatusCode, as DHIS2 guarantees. */
export function webMessageResponse(fields: WebMessageFields, headers: Record<string, string> = {}): Dhis2Response {
  return jsonResponse(fields.httpStatusCode, webMessage(fields), headers);
}

/** `WebMessageUtils.conflict / badRequest / notFound / unauthorized / error`: status ERROR with a message. */
export function errorMessage(httpStatusCode: number, message: string, errorCode?: string): Dhis2Response {
  return webMessageResponse({ httpStatusCode, status: 'ERROR', message, errorCode });
}
