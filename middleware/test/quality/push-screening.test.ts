// Data-quality screening in the DHIS2 push job (execPushJob with quality/'s screening), over the real Redis
// and a DHIS2 client that records what it is sent: a ×10 keying of a steady cell is flagged, with the
// encounters behind it, and still sent as it is; a correction clears the flag; followup only where
// configured; no history raises nothing; a failing screening never stops the push; a declared campaign
// month's surge is a signal, not an error (the same surge undeclared is one).
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import type { Encounter } from '@smc-bridge/contract';
import { execPushJob, type PushDeps } from '../../src/delivery/dhis2/push-queue.js';
import { PendingPushes } from '../../src/delivery/dhis2/pending-pushes.js';
import type { DataValue } from '../../src/dhis2/dhis2-client.js';
import type { CellGroup } from '../../src/domain/cells.js';
import { EncounterStore } from '../../src/ingest/encounter-store.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { createLogger } from '../../src/logging/logger.js';
import { loadMappings } from '../../src/mapping/load-mappings.js';
import { mapToLedger } from '../../src/mapping/map-to-ledger.js';
import { ServiceMetrics } from '../../src/metrics/service-metrics.js';
import type { Campaign } from '../../src/mapping-files/campaigns-file.js';
import { CellGroupScreening } from '../../src/quality/cell-group-screening.js';
import { QualityFlags } from '../../src/quality/flag-store.js';
import { loadScreeningConfig } from '../../src/quality/screening-config.js';
import { RedisKeys } from '../../src/redis/keys.js';
import { deleteKeysOf, TEST_REDIS_URL, uniquePrefix } from '../support/redis.js';
import { FP_ELEMENT, monthsFrom, visits } from './support.js';

const mappingsDir = fileURLToPath(new URL('../../../mappings', import.meta.url));
const mappings = loadMappings(mappingsDir);
const screeningConfig = loadScreeningConfig(mappingsDir);
const prefix = uniquePrefix('dq-push');
const keys = new RedisKeys(prefix);
let redis: Redis;
let store: EncounterStore;
let ledger: Ledger;
let flags: QualityFlags;
const logs: string[] = [];
const logger = createLogger('debug', new Writable({ write: (chunk: Buffer, _encoding, done) => void (logs.push(chunk.toString('utf8')), done()) }));
/** Every dataValueSets post, in order. */
let posts: DataValue[][] = [];
const client: PushDeps['client'] = {
  postDataValues: async (values) => {
    posts.push([...values]);
    return { kind: 'imported', importCount: { imported: values.length, updated: 0, ignored: 0, deleted: 0 }, conflicts: [], rejectedIndexes: [] };
  },
};

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  store = new EncounterStore(redis, keys);
  ledger = new Ledger(redis, keys);
  flags = new QualityFlags(redis, keys);
});
afterAll(async () => {
  redis.disconnect();
  await deleteKeysOf(prefix);
});
beforeEach(() => {
  posts = [];
});

const screeningOf = (options: { followupDataSets?: string[]; flags?: QualityFlags; metrics?: ServiceMetrics; campaigns?: Campaign[] } = {}) =>
  new CellGroupScreening({
    redis,
    keys,
    ledger,
    flags: options.flags ?? flags,
    config: screeningConfig,
    followupDataSets: options.followupDataSets ?? [],
    logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.campaigns ? { campaigns: options.campaigns } : {}),
  });

/** Accepts and maps encounter versions as the ingest worker does; returns the monthly groups they changed. */
async function map(encounters: readonly Encounter[]): Promise<CellGroup[]> {
  return (await mapAll(encounters)).filter((group) => group.dataSet === 'SMC_MONTHLY');
}

/** The same, returning every group they changed (weekly ones too). */
async function mapAll(encounters: readonly Encounter[]): Promise<CellGroup[]> {
  const dirty: CellGroup[] = [];
  await store.accept(encounters.map((encounter) => ({ encounter, contentHash: `${encounter.id}${encounter.version}`.padEnd(64, '0') })), new Date());
  const step = mapToLedger({ mappings, ledger, store, onDirty: async (groups) => void dirty.push(...groups) });
  const stored = await store.readMany(encounters);
  await step(stored.map((record, i) => ({ ...record!, ref: { source: encounters[i]!.source, id: encounters[i]!.id, version: encounters[i]!.version } })));
  return dirty;
}

async function mapAndPush(encounters: readonly Encounter[], screening: CellGroupScreening): Promise<CellGroup> {
  const groups = await map(encounters);
  for (const group of groups) await execPushJob({ group }, { ledger, client, store, screening });
  return groups[0]!;
}

/** Two years of 2 to 5 visits a month, pushed month by month (each push screened, as in production). */
async function steadyHistory(facility: string, label: string): Promise<void> {
  const screening = screeningOf();
  for (const [i, month] of monthsFrom('2024-10', 24).entries()) await mapAndPush(visits(facility, label, month, STEADY[i % STEADY.length]!), screening);
}
const STEADY = [3, 2, 4, 3, 5, 2, 3, 4, 2, 3, 4, 3];

const sentValue = (post: readonly DataValue[] | undefined, dataElement: string) => post?.filter((value) => value.dataElement === dataElement) ?? [];

test('a ×10 value in a facility with steady history is flagged with the encounters behind it, and sent to DHIS2 as it is', async () => {
  await steadyHistory('CM_NW_BAM_CSI101', 'steady');
  posts = [];
  const metrics = new ServiceMetrics(() => [], undefined, () => flags.countsByRule());
  const october = visits('CM_NW_BAM_CSI101', 'steady', '2026-10', 30);
  const group = await mapAndPush(october, screeningOf({ metrics }));

  const [sent] = sentValue(posts.at(-1), FP_ELEMENT);
  expect(sent).toMatchObject({ value: '30', orgUnit: 'CM_NW_BAM_CSI101', period: '202610' });
  expect(sent).not.toHaveProperty('followup');

  const standing = (await flags.list('CM_NW_BAM_CSI101', '202610')).filter((flag) => flag.dataElement === FP_ELEMENT && flag.kind === 'error');
  expect(standing.length).toBeGreaterThan(0);
  const flag = standing.find((f) => f.ruleId === 'multiplicative-error') ?? standing[0]!;
  expect(flag).toMatchObject({ dataSet: group.dataSet, attributeOptionCombo: group.attributeOptionCombo, value: 30, encounterCount: 30 });
  expect(flag.expected.high).not.toBeNull();
  expect(flag.expected.high!).toBeLessThan(30);
  expect(flag.explanation.en.length).toBeGreaterThan(10);
  expect(flag.explanation.fr.length).toBeGreaterThan(10);
  expect(flag.encounters.map((e) => e.id).sort()).toEqual(october.map((e) => e.id).sort());
  expect(JSON.stringify(standing)).not.toMatch(/Aminata|Traoré|677 12|1999-04-11|P-000123/);
  await expect(metrics.registry.getSingleMetricAsString('smc_data_quality_flags_raised_total')).resolves.toMatch(new RegExp(`rule="${flag.ruleId}",kind="error"} [1-9]`));
  expect(await metrics.registry.getSingleMetricAsString('smc_data_quality_flags')).toMatch(new RegExp(`rule="${flag.ruleId}",kind="error"} [1-9]`));

  // The steady months raised nothing on the cell.
  expect((await flags.list('CM_NW_BAM_CSI101')).filter((f) => f.dataElement === FP_ELEMENT && f.period !== '202610')).toEqual([]);

  // A correction that removes the error (27 of the visits entered in error) clears the flag.
  await mapAndPush(october.slice(3).map((e) => ({ ...e, version: 2, status: 'entered-in-error' as const })), screeningOf());
  expect(sentValue(posts.at(-1), FP_ELEMENT)[0]).toMatchObject({ value: '3' });
  expect((await flags.list('CM_NW_BAM_CSI101', '202610')).filter((f) => f.dataElement === FP_ELEMENT)).toEqual([]);
  expect((await flags.countsByRule())[flag.ruleId]).toBe(0);
  expect(await redis.sismember(keys.qualityFlaggedPeriods('CM_NW_BAM_CSI101'), '202610')).toBe((await flags.list('CM_NW_BAM_CSI101', '202610')).length > 0 ? 1 : 0);
});

test('a flagged value is sent with followup only where its data set is configured, and keeps it on later pushes while the flag stands', async () => {
  await steadyHistory('CM_NW_BAM_CSI102', 'marked');
  posts = [];
  const screening = screeningOf({ followupDataSets: ['SMC_MONTHLY'] });
  await mapAndPush(visits('CM_NW_BAM_CSI102', 'marked', '2026-10', 30), screening);
  const post = posts.at(-1)!;
  expect(sentValue(post, FP_ELEMENT)[0]).toMatchObject({ value: '30', followup: true });
  const flagged = new Set((await flags.list('CM_NW_BAM_CSI102', '202610')).filter((f) => f.kind === 'error').map((f) => f.dataElement));
  for (const value of post) expect([value.dataElement, value.followup === true]).toEqual([value.dataElement, flagged.has(value.dataElement)]);

  // An ANC visit changes another cell of the group: the flagged cell, unchanged, keeps its mark.
  const anc = visits('CM_NW_BAM_CSI102', 'marked-anc', '2026-10', 1).map((e) => ({ ...e, type: 'anc' as const, familyPlanning: undefined, anc: { visitNumber: 1, gestationalAgeWeeks: 11 } }));
  await mapAndPush(anc, screening);
  expect(sentValue(posts.at(-1), FP_ELEMENT)[0]).toMatchObject({ value: '30', followup: true });
  expect(sentValue(posts.at(-1), 'RMNCAH_ANC1')[0]).not.toHaveProperty('followup');

  // The same push without the configuration carries no followup at all.
  await mapAndPush(visits('CM_NW_BAM_CSI102', 'marked', '2026-10', 1, 30), screeningOf());
  expect(posts.at(-1)!.some((value) => 'followup' in value)).toBe(false);
});

test('a group with no history raises nothing wrong and is sent', async () => {
  await mapAndPush(visits('CM_NW_BAM_CSI103', 'new', '2026-10', 4), screeningOf({ followupDataSets: ['SMC_MONTHLY'] }));
  expect(sentValue(posts.at(-1), FP_ELEMENT)[0]).toMatchObject({ value: '4' });
  expect(posts.at(-1)!.some((value) => value.followup === true)).toBe(false);
  expect((await flags.list('CM_NW_BAM_CSI103')).filter((flag) => flag.kind === 'error')).toEqual([]);
});

test('a screening that fails is logged without patient data and the values are pushed all the same', async () => {
  await steadyHistory('CM_NW_BAM_CSI104', 'failing');
  posts = [];
  logs.length = 0;
  const broken = Object.assign(Object.create(QualityFlags.prototype) as QualityFlags, {
    replace: async () => {
      throw new Error('NOSCRIPT the flag store is gone');
    },
  });
  const metrics = new ServiceMetrics(() => []);
  const result = await (async () => {
    const groups = await map(visits('CM_NW_BAM_CSI104', 'failing', '2026-10', 30));
    return execPushJob({ group: groups[0]! }, { ledger, client, store, screening: screeningOf({ flags: broken, followupDataSets: ['SMC_MONTHLY'], metrics }) });
  })();
  expect(result.sent).toBeGreaterThan(0);
  expect(sentValue(posts.at(-1), FP_ELEMENT)[0]).toMatchObject({ value: '30' });
  expect(posts.at(-1)!.some((value) => 'followup' in value)).toBe(false);
  const line = logs.find((text) => text.includes('data-quality screening failed'));
  expect(line).toMatch(/CM_NW_BAM_CSI104/);
  expect(line).toMatch(/NOSCRIPT/);
  expect(logs.join('')).not.toMatch(/Aminata|Traoré|677 12|1999-04-11|P-000123/);
  expect(await metrics.registry.getSingleMetricAsString('smc_data_quality_screening_seconds')).toMatch(/outcome="failed"} 1/);
});

test('weekly groups are not screened', async () => {
  const groups: CellGroup[] = [];
  const encounters = visits('CM_NW_BAM_CSI105', 'weekly', '2026-10', 1).map((e) => ({ ...e, type: 'malaria' as const, familyPlanning: undefined, malaria: { suspected: true, test: { method: 'rdt' as const, result: 'positive' as const }, treatment: 'act' as const } }));
  await store.accept(encounters.map((encounter) => ({ encounter, contentHash: encounter.id.padEnd(64, '0') })), new Date());
  const step = mapToLedger({ mappings, ledger, store, onDirty: async (dirty) => void groups.push(...dirty) });
  const stored = await store.readMany(encounters);
  await step(stored.map((record, i) => ({ ...record!, ref: { source: encounters[i]!.source, id: encounters[i]!.id, version: 1 } })));
  const weekly = groups.find((group) => group.dataSet === 'SMC_WEEKLY')!;
  expect(weekly).toBeDefined();
  const screening = screeningOf({ followupDataSets: ['SMC_WEEKLY'] });
  expect(await screening.screen([{ group: weekly, sending: [{ dataElement: 'X', categoryOptionCombo: 'default', value: 1 }], lastSent: [] }])).toEqual([new Set()]);
});

test("a declared campaign month's surge is a signal, not an error; the same surge undeclared is flagged", async () => {
  const campaign: Campaign = { id: 'fp-outreach-2026-10', label: { en: 'the family-planning outreach', fr: 'la campagne de planification familiale' }, dataElements: [FP_ELEMENT], months: ['202610'], districts: ['CM_NW_BAM'] };
  const errorsOn = async (facility: string) => (await flags.list(facility, '202610')).filter((flag) => flag.dataElement === FP_ELEMENT && flag.kind === 'error');
  for (const [facility, campaigns] of [['CM_NW_BAM_CSI106', [campaign]], ['CM_SW_BUE_CSI106', [campaign]], ['CM_NW_BAM_CSI107', []]] as const) {
    await steadyHistory(facility, `campaign-${facility}`);
    await mapAndPush(visits(facility, `campaign-${facility}`, '2026-10', 30), screeningOf({ campaigns: [...campaigns] }));
  }
  // Declared for Bamenda's district: explained, recorded as the campaign's signal.
  expect(await errorsOn('CM_NW_BAM_CSI106')).toEqual([]);
  const signals = (await flags.list('CM_NW_BAM_CSI106', '202610')).filter((flag) => flag.dataElement === FP_ELEMENT);
  expect(signals.length).toBeGreaterThan(0);
  expect(signals.every((flag) => flag.ruleId === 'signal:fp-outreach-2026-10' && flag.kind === 'signal')).toBe(true);
  expect(signals[0]!.explanation.fr).toMatch(/la campagne de planification familiale/);
  // Buea is not in the campaign's district, and the third facility was told of no campaign: both are errors.
  expect((await errorsOn('CM_SW_BUE_CSI106')).length).toBeGreaterThan(0);
  expect((await errorsOn('CM_NW_BAM_CSI107')).length).toBeGreaterThan(0);
});

test("a correction to a past month re-judges the later months that read it: a flag it makes appears, and goes with the next correction; nothing more is sent", async () => {
  const facility = 'CM_NW_BAM_CSI108';
  const usual = [28, 31, 33, 29, 32, 27, 34, 26, 31, 29, 33, 28]; // never 30: only the test's months repeat
  const screening = screeningOf();
  for (const [i, month] of monthsFrom('2024-06', 24).entries()) await mapAndPush(visits(facility, 'rejudge', month, usual[i % usual.length]!), screening);
  // June to September 2026: 30, 31, 30, 30. September's 30 has run only twice: no flag.
  const june = monthsFrom('2026-06', 4);
  for (const [i, month] of june.entries()) await mapAndPush(visits(facility, 'rejudge', month, [30, 31, 30, 30][i]!), screening);
  const repeatedOn = async (period: string) => (await flags.list(facility, period)).filter((flag) => flag.dataElement === FP_ELEMENT && flag.ruleId === 'repeated-value');
  expect(await repeatedOn('202609')).toEqual([]);

  // July corrected to 30 (one visit entered in error): September now repeats July's value a fourth month.
  posts = [];
  const july = visits(facility, 'rejudge', '2026-07', 31);
  await mapAndPush([{ ...july[30]!, version: 2, status: 'entered-in-error' as const }], screening);
  expect(posts.map((post) => [...new Set(post.map((value) => value.period))])).toEqual([['202607']]);
  const raised = await repeatedOn('202609');
  expect(raised).toHaveLength(1);
  expect(raised[0]).toMatchObject({ period: '202609', value: 30, encounterCount: 30 });
  expect(raised[0]!.encounters.every((encounter) => encounter.id.startsWith('rejudge-2026-09-'))).toBe(true);
  expect((await flags.countsByRule())['repeated-value']).toBeGreaterThanOrEqual(1);
  expect(await repeatedOn('202608')).toEqual([]); // a run of three at 30 stays under the threshold

  // Another process (a fresh screening, nothing cached) takes the correction back: September's flag goes.
  await mapAndPush(visits(facility, 'rejudge-late', '2026-07', 1), screeningOf());
  expect(await repeatedOn('202609')).toEqual([]);
  expect(await redis.sismember(keys.qualityFlaggedPeriods(facility), '202609')).toBe((await flags.list(facility, '202609')).length > 0 ? 1 : 0);
});

test("a post that carries a facility's backlog of months raises the flags, and marks the cells, that pushing the months one at a time does", async () => {
  // Thirty months that reach the bridge at once after weeks offline: two steady years, then slips (×10, a
  // zero, another ×10) among ordinary months. One facility sends them in one post (riders), the other one
  // month after the other; each month is judged against the months before it either way.
  const counts = [...Array.from({ length: 24 }, (_, i) => STEADY[i % STEADY.length]!), 3, 30, 4, 0, 2, 40];
  const months = monthsFrom('2024-10', counts.length);
  const pending = new PendingPushes(redis, keys);
  const riders = { max: 60, pending, handBack: (groups: readonly CellGroup[]) => pending.add(groups) };
  const screened = () => screeningOf({ followupDataSets: ['SMC_MONTHLY'] });

  const together = 'CM_NW_BAM_CSI109';
  const groups = await mapAll(months.flatMap((month, i) => visits(together, 'backlog', month, counts[i]!)));
  await pending.add(groups);
  posts = [];
  const first = groups.find((group) => group.dataSet === 'SMC_MONTHLY' && group.period === '202410')!;
  expect(await execPushJob({ group: first }, { ledger, client, store, screening: screened(), riders })).toMatchObject({ groups: groups.length });
  expect(posts).toHaveLength(1);
  const markedTogether = posts[0]!.filter((value) => value.followup === true).map((value) => `${value.period} ${value.dataElement}`).sort();

  const alone = 'CM_NW_BAM_CSI110';
  posts = [];
  const screening = screened();
  for (const [i, month] of months.entries()) await mapAndPush(visits(alone, 'backlog-alone', month, counts[i]!), screening);
  const markedAlone = posts.flat().filter((value) => value.followup === true).map((value) => `${value.period} ${value.dataElement}`).sort();

  const flagsOf = async (facility: string) =>
    (await flags.list(facility)).map(({ period, dataElement, categoryOptionCombo, ruleId, kind, value, score, expected }) => ({ period, dataElement, categoryOptionCombo, ruleId, kind, value, score, expected }));
  const standing = await flagsOf(together);
  expect(standing).toEqual(await flagsOf(alone));
  expect(markedTogether).toEqual(markedAlone);
  // The slips are found, and marked for follow-up: both ×10 months of the family-planning cell.
  expect(markedTogether).toEqual(expect.arrayContaining([`${months[25]!.replace('-', '')} ${FP_ELEMENT}`, `${months[29]!.replace('-', '')} ${FP_ELEMENT}`]));
});
