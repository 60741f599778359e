// Fewer round trips to the FHIR server (issue 13): the uploads a worker process runs at once are of different
// patients (upload-lock.ts holds one per patient), so what they send at the same moment can travel together:
// - their transactions as one transaction (entries in the same order, each upload's entries together), with
//   the entries several uploads share (a facility's Organization and Practitioner: the same fullUrl and the
//   same content) sent once; an upload whose entries would clash with another's (the same fullUrl or the same
//   conditional criteria with other content, the same resource updated, a Patient named by an identifier
//   another upload's Patient carries) waits for the next round;
// - their searches (the shared Patient's, a withdrawn record's) as one `batch` of GET entries.
// Each upload gets back exactly what it would have got alone: its own slice of the transaction-response, its
// own searchset. When the combined request fails in any way (a 4xx, 5xx, a timeout, a version conflict of one
// upload, an invalid resource of one), each request is sent again on its own, so one patient's failure never
// costs the others and each gets the error its own request earns. Sending again is harmless: every entry is a
// conditional create, a conditional PUT or a version-aware update (a server that applied part of the combined
// transaction, as the stand-in does, answers an update already applied with 412, which the job handles as any
// concurrent change: read and merge again). Requests are gathered for `windowMs` (default 2 ms) after the
// first, up to `maxRequests` uploads (default 20) and `maxEntries` entries (default 400) per round.
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { FhirClient } from '../../fhir/fhir-client.js';

export interface CombinedRequestsOptions {
  windowMs?: number;
  maxRequests?: number;
  maxEntries?: number;
}

type Client = Pick<FhirClient, 'transaction' | 'search'>;

interface Waiting<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

interface WaitingTransaction extends Waiting<Bundle> {
  bundle: Bundle;
}

interface WaitingSearch extends Waiting<Bundle> {
  resourceType: Resource['resourceType'];
  params: Record<string, string | number>;
}

/** What makes two entries the same record on the server: the same identity may appear once per transaction. */
function identityOf(entry: BundleEntry): string | undefined {
  const request = entry.request;
  if (!request) return undefined;
  if (request.method === 'POST') return request.ifNoneExist ? `${request.url}?${request.ifNoneExist}` : undefined;
  return `${request.url}`;
}

/**
 * The identifiers of the Patients an upload sends. Two uploads naming a patient by a common identifier (two
 * sources of one person, each under its own lock) never share a transaction: applied together, two
 * conditional creates of a Patient the server does not hold yet would both create it.
 */
function patientIdentifiersOf(entries: readonly BundleEntry[]): string[] {
  return entries.flatMap((entry) =>
    entry.resource?.resourceType === 'Patient' ? (entry.resource.identifier ?? []).map((identifier) => `${identifier.system ?? ''}|${identifier.value ?? ''}`) : [],
  );
}

function statusOf(entry: BundleEntry | undefined): number {
  return Number.parseInt(entry?.response?.status ?? '0', 10);
}

export class CombinedFhirRequests implements Client {
  private transactions: WaitingTransaction[] = [];
  private searches: WaitingSearch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly windowMs: number;
  private readonly maxRequests: number;
  private readonly maxEntries: number;
  /** Round trips saved so far, and requests sent again on their own after a combined one failed. */
  readonly counts = { combinedTransactions: 0, combinedSearches: 0, uploads: 0, searches: 0, sentAlone: 0 };

  constructor(
    private readonly client: Client,
    options: CombinedRequestsOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 2;
    this.maxRequests = options.maxRequests ?? 20;
    this.maxEntries = options.maxEntries ?? 400;
  }

  transaction(bundle: Bundle): Promise<Bundle> {
    if (bundle.type !== 'transaction') return this.client.transaction(bundle);
    return new Promise((resolve, reject) => {
      this.transactions.push({ bundle, resolve, reject });
      this.schedule();
    });
  }

  search<T extends Resource>(resourceType: T['resourceType'], params: Record<string, string | number> = {}): Promise<Bundle<T>> {
    return new Promise<Bundle>((resolve, reject) => {
      this.searches.push({ resourceType, params, resolve, reject });
      this.schedule();
    }) as Promise<Bundle<T>>;
  }

  private schedule(): void {
    if (this.transactions.length >= this.maxRequests || this.searches.length >= this.maxRequests) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const transactions = this.transactions;
    const searches = this.searches;
    this.transactions = [];
    this.searches = [];
    if (transactions.length > 0) void this.sendTransactions(transactions);
    for (let at = 0; at < searches.length; at += this.maxRequests) void this.sendSearches(searches.slice(at, at + this.maxRequests));
  }

  /** Sends the waiting transactions in as few combined ones as their clashes and the limits allow. */
  private async sendTransactions(waiting: WaitingTransaction[]): Promise<void> {
    let left = waiting;
    const rounds: Promise<void>[] = [];
    while (left.length > 0) {
      const { members, entries, slices, later } = this.combine(left);
      rounds.push(this.sendRound(members, entries, slices));
      left = later;
    }
    await Promise.all(rounds);
  }

  /** Takes the uploads that fit in one transaction; the others are `later`. */
  private combine(waiting: WaitingTransaction[]): { members: WaitingTransaction[]; entries: BundleEntry[]; slices: number[][]; later: WaitingTransaction[] } {
    const members: WaitingTransaction[] = [];
    const entries: BundleEntry[] = [];
    const slices: number[][] = [];
    const later: WaitingTransaction[] = [];
    const byFullUrl = new Map<string, number>();
    const byIdentity = new Map<string, number>();
    // Entries met under a fullUrl already taken are compared as JSON; the texts are made only then.
    const texts = new Map<BundleEntry, string>();
    const textOf = (entry: BundleEntry) => texts.get(entry) ?? texts.set(entry, JSON.stringify(entry)).get(entry)!;
    const patients = new Set<string>();
    for (const member of waiting) {
      const own = member.bundle.entry ?? [];
      const ownPatients = patientIdentifiersOf(own);
      if (members.length >= this.maxRequests || (members.length > 0 && entries.length + own.length > this.maxEntries) || ownPatients.some((key) => patients.has(key))) {
        later.push(member);
        continue;
      }
      // Where each of its entries goes: an entry already there (shared, identical), or a new one.
      const slice: number[] = [];
      const added: BundleEntry[] = [];
      let clash = false;
      for (const entry of own) {
        const known = entry.fullUrl ? byFullUrl.get(entry.fullUrl) : undefined;
        const identity = identityOf(entry);
        const sameIdentity = identity === undefined ? undefined : byIdentity.get(identity);
        if (known !== undefined) {
          if (textOf(entries[known] as BundleEntry) !== textOf(entry) || (sameIdentity !== undefined && sameIdentity !== known)) clash = true;
          slice.push(known);
        } else if (sameIdentity !== undefined || (entry.fullUrl !== undefined && added.some((other) => other.fullUrl === entry.fullUrl))) {
          clash = true;
        } else {
          slice.push(entries.length + added.length);
          added.push(entry);
        }
        if (clash) break;
      }
      if (clash) {
        later.push(member);
        continue;
      }
      for (const entry of added) {
        const index = entries.length;
        entries.push(entry);
        if (entry.fullUrl) byFullUrl.set(entry.fullUrl, index);
        const identity = identityOf(entry);
        if (identity !== undefined) byIdentity.set(identity, index);
      }
      for (const key of ownPatients) patients.add(key);
      members.push(member);
      slices.push(slice);
    }
    return { members, entries, slices, later };
  }

  private async sendRound(members: WaitingTransaction[], entries: BundleEntry[], slices: number[][]): Promise<void> {
    if (members.length === 1) {
      const [only] = members as [WaitingTransaction];
      this.counts.uploads++;
      return this.client.transaction(only.bundle).then(only.resolve, only.reject);
    }
    let answer: Bundle;
    try {
      answer = await this.client.transaction({ resourceType: 'Bundle', type: 'transaction', entry: entries });
      const answered = answer.entry ?? [];
      if (answered.length !== entries.length || answered.some((entry) => statusOf(entry) >= 400 || statusOf(entry) === 0)) throw new Error('the combined transaction-response does not answer every entry');
    } catch {
      // Each on its own: each gets what its own request earns.
      this.counts.sentAlone += members.length;
      await Promise.all(members.map((member) => this.client.transaction(member.bundle).then(member.resolve, member.reject)));
      return;
    }
    this.counts.combinedTransactions++;
    this.counts.uploads += members.length;
    members.forEach((member, n) => {
      const slice = slices[n] as number[];
      member.resolve({ resourceType: 'Bundle', type: 'transaction-response', entry: slice.map((index) => answer.entry![index] as BundleEntry) });
    });
  }

  private async sendSearches(waiting: WaitingSearch[]): Promise<void> {
    if (waiting.length === 1) {
      const [only] = waiting as [WaitingSearch];
      this.counts.searches++;
      return this.client.search(only.resourceType, only.params).then(only.resolve, only.reject);
    }
    const entry: BundleEntry[] = waiting.map(({ resourceType, params }) => ({
      request: { method: 'GET', url: `${resourceType}?${new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)])).toString()}` },
    }));
    let answers: BundleEntry[];
    try {
      const answer = await this.client.transaction({ resourceType: 'Bundle', type: 'batch', entry });
      answers = answer.entry ?? [];
      if (answers.length !== waiting.length) throw new Error('the batch-response does not answer every search');
    } catch {
      this.counts.sentAlone += waiting.length;
      await Promise.all(waiting.map((search) => this.client.search(search.resourceType, search.params).then(search.resolve, search.reject)));
      return;
    }
    this.counts.combinedSearches++;
    this.counts.searches += waiting.length;
    await Promise.all(
      waiting.map(async (search, n) => {
        const answered = answers[n] as BundleEntry;
        const status = statusOf(answered);
        if (status >= 200 && status < 300 && answered.resource?.resourceType === 'Bundle') return search.resolve(answered.resource as Bundle);
        // Refused inside the batch: on its own, so it gets the error its own request earns.
        this.counts.sentAlone++;
        return this.client.search(search.resourceType, search.params).then(search.resolve, search.reject);
      }),
    );
  }
}
