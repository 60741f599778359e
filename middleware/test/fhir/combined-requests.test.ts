// CombinedFhirRequests: uploads running at once travel as one transaction and their searches as one batch;
// each gets exactly its own answer; entries they share go once; clashing ones wait for the next round; and a
// failed combined request costs nobody else: each is sent again alone and gets what its own request earns.
import { expect, it } from '@jest/globals';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { CombinedFhirRequests } from '../../src/delivery/fhir/combined-requests.js';
import { FhirRequestError } from '../../src/fhir/fhir-client.js';

/** A server that answers each entry 201 with a location naming its fullUrl, refusing any request that holds a `refuse-me` value. */
class RecordingServer {
  readonly sent: Bundle[] = [];
  readonly searches: string[] = [];

  async transaction(bundle: Bundle): Promise<Bundle> {
    this.sent.push(bundle);
    if (JSON.stringify(bundle).includes('refuse-me')) throw new FhirRequestError('FHIR transaction: HTTP 412', 'http', false, 412);
    return {
      resourceType: 'Bundle',
      type: bundle.type === 'batch' ? 'batch-response' : 'transaction-response',
      entry: (bundle.entry ?? []).map((entry) =>
        entry.request?.method === 'GET'
          ? { resource: { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }, response: { status: entry.request.url.includes('missing') ? '404 Not Found' : '200 OK' } }
          : { response: { status: '201 Created', location: `${entry.resource?.resourceType}/${entry.fullUrl}` } },
      ),
    };
  }

  async search<T extends Resource>(resourceType: T['resourceType'], params: Record<string, string | number> = {}): Promise<Bundle<T>> {
    this.searches.push(`${resourceType}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`);
    if (JSON.stringify(params).includes('missing')) throw new FhirRequestError('FHIR search: HTTP 404', 'http', false, 404);
    return { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ resource: { resourceType, id: 'alone' } as T }] };
  }
}

const organization: BundleEntry = { fullUrl: 'urn:uuid:org-1', resource: { resourceType: 'Organization', identifier: [{ system: 'org', value: 'CSI001' }] }, request: { method: 'POST', url: 'Organization', ifNoneExist: 'identifier=org|CSI001' } };

function upload(patient: string, extra: BundleEntry[] = [organization]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: `urn:uuid:patient-${patient}`, resource: { resourceType: 'Patient', identifier: [{ system: 'p', value: patient }] }, request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=p|${patient}` } },
      ...extra,
      { fullUrl: `urn:uuid:encounter-${patient}`, resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: `urn:uuid:patient-${patient}` } }, request: { method: 'PUT', url: `Encounter?identifier=e|${patient}` } },
    ],
  };
}

it('sends uploads running at once as one transaction, the shared Organization once, and gives each its own answer', async () => {
  const server = new RecordingServer();
  const combined = new CombinedFhirRequests(server);
  const answers = await Promise.all(['a', 'b', 'c'].map((patient) => combined.transaction(upload(patient))));
  expect(server.sent).toHaveLength(1);
  expect(server.sent[0]?.entry?.map((entry) => entry.fullUrl)).toEqual(['urn:uuid:patient-a', 'urn:uuid:org-1', 'urn:uuid:encounter-a', 'urn:uuid:patient-b', 'urn:uuid:encounter-b', 'urn:uuid:patient-c', 'urn:uuid:encounter-c']);
  expect(answers.map((answer) => answer.entry?.map((entry) => entry.response?.location))).toEqual(
    ['a', 'b', 'c'].map((patient) => [`Patient/urn:uuid:patient-${patient}`, 'Organization/urn:uuid:org-1', `Encounter/urn:uuid:encounter-${patient}`]),
  );
  expect(combined.counts).toMatchObject({ combinedTransactions: 1, uploads: 3, sentAlone: 0 });
});

it('puts an upload whose entries clash with another one (same criteria, other content) in the next round', async () => {
  const server = new RecordingServer();
  const combined = new CombinedFhirRequests(server);
  const renamed: BundleEntry = { ...organization, fullUrl: 'urn:uuid:org-1-renamed', resource: { resourceType: 'Organization', name: 'other', identifier: [{ system: 'org', value: 'CSI001' }] } };
  await Promise.all([combined.transaction(upload('a')), combined.transaction(upload('b', [renamed])), combined.transaction(upload('c'))]);
  expect(server.sent.map((bundle) => bundle.entry?.filter((entry) => entry.resource?.resourceType === 'Patient').map((entry) => entry.fullUrl))).toEqual([
    ['urn:uuid:patient-a', 'urn:uuid:patient-c'],
    ['urn:uuid:patient-b'],
  ]);
});

it('never puts two Patients sharing an identifier (one person from two sources) in one transaction', async () => {
  const server = new RecordingServer();
  const combined = new CombinedFhirRequests(server);
  const withNational = (patient: string): Bundle => {
    const bundle = upload(patient);
    (bundle.entry![0]!.resource as { identifier: unknown[] }).identifier.push({ system: 'national', value: 'N-1' });
    return bundle;
  };
  await Promise.all([combined.transaction(withNational('a')), combined.transaction(upload('b')), combined.transaction(withNational('c'))]);
  expect(server.sent.map((bundle) => bundle.entry?.filter((entry) => entry.resource?.resourceType === 'Patient').map((entry) => entry.fullUrl))).toEqual([
    ['urn:uuid:patient-a', 'urn:uuid:patient-b'],
    ['urn:uuid:patient-c'],
  ]);
});

it("a refused combined transaction is sent again upload by upload: the refused one gets its own error, the others their answers", async () => {
  const server = new RecordingServer();
  const combined = new CombinedFhirRequests(server);
  const refused = upload('refuse-me');
  const results = await Promise.allSettled([combined.transaction(upload('a')), combined.transaction(refused), combined.transaction(upload('c'))]);
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ status: 412, retryable: false });
  expect(server.sent.map((bundle) => bundle.entry?.length)).toEqual([7, 3, 3, 3]);
  expect(combined.counts.sentAlone).toBe(3);
});

it('sends searches running at once as one batch; a search refused inside it is sent alone for its own answer', async () => {
  const server = new RecordingServer();
  const combined = new CombinedFhirRequests(server);
  const [first, second, third] = await Promise.allSettled([
    combined.search('Patient', { identifier: 'p|a,q|1', _count: 2 }),
    combined.search('Patient', { identifier: 'p|b', _count: 2 }),
    combined.search('Condition', { identifier: 'missing|x' }),
  ]);
  expect(server.sent).toHaveLength(1);
  expect(server.sent[0]).toMatchObject({ type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient?identifier=p%7Ca%2Cq%7C1&_count=2' } }, { request: { method: 'GET', url: 'Patient?identifier=p%7Cb&_count=2' } }, { request: { method: 'GET', url: 'Condition?identifier=missing%7Cx' } }] });
  expect(first).toMatchObject({ status: 'fulfilled', value: { type: 'searchset', total: 0 } });
  expect(second).toMatchObject({ status: 'fulfilled' });
  expect(third).toMatchObject({ status: 'rejected', reason: { status: 404 } });
  expect(server.searches).toEqual(['Condition?identifier=missing%7Cx']);
});

it('sends a lone upload or search as it is', async () => {
  const server = new RecordingServer();
  const combined = new CombinedFhirRequests(server);
  const bundle = upload('a');
  await combined.transaction(bundle);
  expect(server.sent).toEqual([bundle]);
  await expect(combined.search('Patient', { identifier: 'p|a' })).resolves.toMatchObject({ entry: [{ resource: { id: 'alone' } }] });
});
