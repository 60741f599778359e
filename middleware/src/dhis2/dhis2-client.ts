// The DHIS2 Web API client (axios). It speaks codes (idScheme=CODE), because the mappings target the WHO
// toolkit's codes, and sends whole cell groups with CREATE_AND_UPDATE. It also imports the metadata package.
import axios, { type AxiosInstance } from 'axios';
import type { Dhis2Auth } from '../config/config.js';
import { readImportResponse, type ImportOutcome } from './import-answer.js';

export interface DataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string;
}

/** The Authorization header DHIS2 expects for a personal access token or Basic credentials. */
export function dhis2Authorization(auth: Dhis2Auth): string {
  return auth.kind === 'token' ? `ApiToken ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

export class Dhis2Client {
  private readonly http: AxiosInstance;

  constructor(baseUrl: string, auth: Dhis2Auth, timeoutMs = 30_000) {
    this.http = axios.create({
      baseURL: baseUrl.replace(/\/+$/, ''),
      timeout: timeoutMs,
      headers: {
        Accept: 'application/json',
        Authorization: dhis2Authorization(auth),
      },
      // Every status is an answer to read, not an exception.
      validateStatus: () => true,
    });
  }

  /** `POST /api/metadata` with the given import parameters; the answer as it came (status and JSON body). */
  async postMetadata(payload: unknown, params: Record<string, string>): Promise<{ status: number; body: unknown }> {
    try {
      const response = await this.http.post('/api/metadata', payload, { params });
      return { status: response.status, body: response.data as unknown };
    } catch (error) {
      throw new Error(`DHIS2 did not answer: ${(error as Error).message}`);
    }
  }

  async postDataValues(dataValues: readonly DataValue[]): Promise<ImportOutcome> {
    try {
      const response = await this.http.post(
        '/api/dataValueSets',
        { dataValues },
        { params: { idScheme: 'CODE', importStrategy: 'CREATE_AND_UPDATE' } },
      );
      return readImportResponse(response.status, typeof response.data === 'object' ? response.data : undefined);
    } catch (error) {
      // No answer at all: refused connection, reset, timeout.
      return { kind: 'retryable', message: `DHIS2 did not answer: ${(error as Error).message}` };
    }
  }
}
