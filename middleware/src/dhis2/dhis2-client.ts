// The one DHIS2 Web API client (axios) behind every DHIS2 call the middleware makes: data values, the
// metadata import, the Route, the setup's wait for DHIS2, user and org unit look-ups. Each goes to
// `/api/<version>/…` with the version pinned (DHIS2_API_VERSION, default the version the compose stack runs),
// the same credentials and timeout, and every HTTP status read as an answer, never thrown. Data values go by
// code (idScheme=CODE), because the mappings target the WHO toolkit's codes.
import axios, { type AxiosInstance } from 'axios';
import { DEFAULT_DHIS2_API_VERSION, type Dhis2Auth, type Dhis2Connection } from '../config/config.js';
import { readImportResponse, type ImportOutcome } from './import-answer.js';

export interface DataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string;
  /** Marks the value for follow-up in DHIS2 (data-quality flags); absent is false, and clears a mark. */
  followup?: boolean;
}

/** An answer from DHIS2: its status and its JSON body (undefined when the body was not JSON). */
export interface Dhis2Answer {
  status: number;
  body: unknown;
}

/** DHIS2 did not answer at all: refused connection, reset, timeout. */
export class Dhis2Unreachable extends Error {
  constructor(message: string) {
    super(`DHIS2 did not answer: ${message}`);
    this.name = 'Dhis2Unreachable';
  }
}

/** The Authorization header DHIS2 expects for a personal access token or Basic credentials. */
export function dhis2Authorization(auth: Dhis2Auth): string {
  return auth.kind === 'token' ? `ApiToken ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

export class Dhis2Client {
  private readonly http: AxiosInstance;
  readonly apiVersion: number;

  constructor(connection: Pick<Dhis2Connection, 'url' | 'auth'> & Partial<Pick<Dhis2Connection, 'apiVersion' | 'timeoutMs'>>) {
    this.apiVersion = connection.apiVersion ?? DEFAULT_DHIS2_API_VERSION;
    this.http = axios.create({
      baseURL: `${connection.url.replace(/\/+$/, '')}/api/${this.apiVersion}`,
      timeout: connection.timeoutMs ?? 30_000,
      headers: { Accept: 'application/json', Authorization: dhis2Authorization(connection.auth) },
      validateStatus: () => true,
    });
  }

  /** Any Web API call under /api/<version>; throws Dhis2Unreachable only when no answer came. */
  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { params?: Record<string, string>; body?: unknown } = {}): Promise<Dhis2Answer> {
    try {
      const response = await this.http.request({ method, url: path, params: options.params, data: options.body });
      return { status: response.status, body: typeof response.data === 'object' && response.data !== null ? (response.data as unknown) : undefined };
    } catch (error) {
      throw new Dhis2Unreachable((error as Error).message);
    }
  }

  /** `POST /api/<v>/metadata` with the given import parameters. */
  postMetadata(payload: unknown, params: Record<string, string>): Promise<Dhis2Answer> {
    return this.request('POST', '/metadata', { params, body: payload });
  }

  /** Whole cell groups, by code, CREATE_AND_UPDATE; the ImportSummary read into what it means for us. */
  async postDataValues(dataValues: readonly DataValue[]): Promise<ImportOutcome> {
    try {
      const answer = await this.request('POST', '/dataValueSets', { params: { idScheme: 'CODE', importStrategy: 'CREATE_AND_UPDATE' }, body: { dataValues } });
      return readImportResponse(answer.status, answer.body);
    } catch (error) {
      return { kind: 'retryable', message: (error as Error).message };
    }
  }

  /** Whether DHIS2 is up and takes these credentials: the status of `GET /api/<v>/system/info`. */
  async systemInfoStatus(): Promise<number> {
    return (await this.request('GET', '/system/info')).status;
  }
}
