// The patients of each facility, as the encounters accepted so far describe them, for the clinicians' app
// (search and registration offline need its facilities' patients on the device). Kept by a pipeline step:
// for every current version, the patient's entry at the encounter's facility takes the demographics of the
// patient's most recent encounter (an older one arriving late changes nothing), and the patient's list of
// encounters holds the version's type, date and status. Practice encounters make practice patients, kept in
// lists of their own that never mix with real ones. A correction that moves an encounter to another
// facility or patient takes it out of where it was.
//
// A patient is known by its first identifier, scoped by the source for a local register's system (as the
// FHIR mapping scopes it), so two sources' "P-0001" are two people and a national identifier is one.
import { createHash } from 'node:crypto';
import type { Encounter } from '@smc-bridge/contract';
import type { EncounterRef } from '../domain/encounter-ref.js';
import { isPractice } from '../domain/practice.js';
import { Batch } from '../redis/batch.js';
import { SlotScript } from '../redis/slot-script.js';
import type { RedisClient } from '../redis/connection.js';
import type { RedisKeys } from '../redis/keys.js';

export interface PatientEncounter {
  source: string;
  id: string;
  version: number;
  type: Encounter['type'];
  occurredAt: string;
  status: Encounter['status'];
}

export interface PatientSummary {
  key: string;
  facility: Encounter['facility'];
  identifiers: Encounter['patient']['identifiers'];
  name?: Encounter['patient']['name'];
  sex: Encounter['patient']['sex'];
  birthDate?: string;
  birthDateEstimated?: boolean;
  estimatedAge?: Encounter['patient']['estimatedAge'];
  phone?: string;
  village?: string;
  coverage?: Encounter['patient']['coverage'];
  lastEncounterAt: string;
}

export type IndexedPatient = PatientSummary & { encounters: PatientEncounter[] };

/** The key of a patient: its first identifier, scoped by source unless the system is a URI. */
export function patientKeyOf(encounter: Pick<Encounter, 'source' | 'patient'>): string {
  const [first] = encounter.patient.identifiers;
  const system = first === undefined ? '' : /^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(first.system) ? first.system : `${encounter.source}/${first.system}`;
  return createHash('sha256').update(`${system}|${first?.value ?? ''}`).digest('hex').slice(0, 24);
}

/** Where a facility's patients are filed: its org unit code, else its uid. */
export function facilityKeyOf(facility: Encounter['facility']): string {
  return facility.code ?? facility.uid ?? '';
}

// The patient index lives in the facility's slot, where an encounter is filed in the encounter's (redis/keys.ts),
// so filing a version takes steps of one slot each, every one safe to repeat:
//   1. file (encounter slot): the version becomes the encounter's filing, unless a newer one is filed; the
//      filing it replaces joins the list of those it may still be listed under ("leaving").
//   2. record (new facility's slot) and unlist (the slot of each filing it is leaving), in one round trip.
//   3. settle (encounter slot): "leaving" is emptied if this version is still the one filed; if a newer
//      version was filed elsewhere meanwhile, this version takes its own listing out again (the newer one may
//      have unlisted it before this one wrote it).
// A worker killed between steps leaves the encounter listed under both filings until its job runs again.

// KEYS[1] where the encounter is filed. ARGV: version, filing. Returns {'stale'} or {'go', filings it leaves...}.
const FILE = new SlotScript('FilePatientEncounter', `
local version = tonumber(ARGV[1])
if version < tonumber(redis.call('HGET', KEYS[1], 'version') or '0') then return {'stale'} end
local filed = redis.call('HGET', KEYS[1], 'filing')
local leaving, seen = {}, {[ARGV[2]] = true}
for _, filing in ipairs(cjson.decode(redis.call('HGET', KEYS[1], 'leaving') or '[]')) do
  if not seen[filing] then seen[filing] = true; leaving[#leaving + 1] = filing end
end
if filed and not seen[filed] then leaving[#leaving + 1] = filed end
local json = '[]'
if #leaving > 0 then json = cjson.encode(leaving) end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'filing', ARGV[2], 'leaving', json)
local reply = {'go'}
for _, filing in ipairs(leaving) do reply[#reply + 1] = filing end
return reply
`);

// KEYS[1] the facility's patients, KEYS[2] the patient's encounters (one slot). ARGV: patient key, summary
// JSON ('' for a withdrawn version: it does not speak for the patient), the encounter's time (ms), the
// encounter field, the encounter JSON, its version.
const RECORD = new SlotScript('RecordPatient', `
local held = redis.call('HGET', KEYS[2], ARGV[4])
if held and cjson.decode(held).version >= tonumber(ARGV[6]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
if ARGV[2] ~= '' then
  local current = redis.call('HGET', KEYS[1], ARGV[1])
  if (not current) or tonumber(cjson.decode(current).lastEncounterMs) <= tonumber(ARGV[3]) then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  end
end
return 1
`);

// KEYS[1] a patient's encounters. ARGV: the encounter field, a version: its listing goes if no newer.
const UNLIST = new SlotScript('UnlistPatientEncounter', `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and cjson.decode(held).version <= tonumber(ARGV[2]) then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`);

// KEYS[1] where the encounter is filed. ARGV: version. Returns the filing now held.
const SETTLE = new SlotScript('SettlePatientFiling', `
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then redis.call('HSET', KEYS[1], 'leaving', '[]') end
return redis.call('HGET', KEYS[1], 'filing')
`);

/** Where an encounter is filed: facility key, practice or real, patient key. */
type Filing = [string, boolean, string];

export class PatientIndex {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    for (const script of [FILE, RECORD, UNLIST, SETTLE]) script.defineOn(redis);
  }

  /** Files each current version under its facility and patient, in three round trips for all. Safe to run twice. */
  async record(encounters: readonly { ref: EncounterRef; encounter: Encounter }[]): Promise<void> {
    if (encounters.length === 0) return;
    const items = encounters.map(({ ref, encounter }) => {
      const key = patientKeyOf(encounter);
      const filing: Filing = [facilityKeyOf(encounter.facility), isPractice(encounter), key];
      return { ref, encounter, key, filing: JSON.stringify(filing), field: `${ref.source}~${ref.id}`, filingKey: this.keys.patientFiling(ref.source, ref.id) };
    });
    const listOf = (filing: string) => {
      const [facility, practice, key] = JSON.parse(filing) as Filing;
      return this.keys.patientEncounters(facility, practice, key);
    };

    const file = new Batch(this.redis);
    for (const item of items) file.script(FILE, { keys: [item.filingKey], args: [String(item.ref.version), item.filing] });
    const filed = (await file.exec()) as string[][];

    const record = new Batch(this.redis);
    items.forEach(({ ref, encounter, key, filing, field }, i) => {
      const [outcome, ...leaving] = filed[i]!;
      if (outcome !== 'go') return;
      for (const old of leaving) {
        const list = listOf(old);
        record.script(UNLIST, { keys: [list], args: [field, String(ref.version - 1)] });
      }
      const [facility, practice] = JSON.parse(filing) as Filing;
      const { patient } = encounter;
      const summary: PatientSummary & { lastEncounterMs: number } = {
        key,
        facility: encounter.facility,
        identifiers: patient.identifiers,
        ...(patient.name ? { name: patient.name } : {}),
        sex: patient.sex,
        ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
        ...(patient.birthDateEstimated !== undefined ? { birthDateEstimated: patient.birthDateEstimated } : {}),
        ...(patient.estimatedAge ? { estimatedAge: patient.estimatedAge } : {}),
        ...(patient.phone ? { phone: patient.phone } : {}),
        ...(patient.village ? { village: patient.village } : {}),
        ...(patient.coverage ? { coverage: patient.coverage } : {}),
        lastEncounterAt: encounter.occurredAt,
        lastEncounterMs: Date.parse(encounter.occurredAt),
      };
      const entry: PatientEncounter = { source: ref.source, id: ref.id, version: ref.version, type: encounter.type, occurredAt: encounter.occurredAt, status: encounter.status };
      const patients = this.keys.patientsOf(facility, practice);
      record.script(RECORD, {
        keys: [patients, listOf(filing)],
        args: [key, encounter.status === 'entered-in-error' ? '' : JSON.stringify(summary), String(summary.lastEncounterMs), field, JSON.stringify(entry), String(ref.version)],
      });
    });
    await record.exec();

    const settle = new Batch(this.redis);
    const settled: number[] = [];
    items.forEach((item, i) => {
      if (filed[i]![0] !== 'go') return;
      settled.push(i);
      settle.script(SETTLE, { keys: [item.filingKey], args: [String(item.ref.version)] });
    });
    const now = (await settle.exec()) as string[];
    const unlist = new Batch(this.redis);
    settled.forEach((i, n) => {
      const item = items[i]!;
      if (now[n] === item.filing) return;
      const list = listOf(item.filing);
      unlist.script(UNLIST, { keys: [list], args: [item.field, String(item.ref.version)] });
    });
    await unlist.exec();
  }

  /** A facility's patients (practice ones apart), each with its encounters, most recent first. */
  async patientsOf(facility: string, practice: boolean): Promise<IndexedPatient[]> {
    const stored = await this.redis.hgetall(this.keys.patientsOf(facility, practice));
    const summaries = Object.values(stored).map((json) => {
      const { lastEncounterMs: _ms, ...summary } = JSON.parse(json) as PatientSummary & { lastEncounterMs: number };
      return summary;
    });
    if (summaries.length === 0) return [];
    const pipeline = this.redis.pipeline(); // one facility: one slot
    for (const summary of summaries) pipeline.hgetall(this.keys.patientEncounters(facility, practice, summary.key));
    const lists = ((await pipeline.exec()) ?? []).map(([error, reply]) => {
      if (error) throw error;
      return reply;
    });
    return summaries
      .map((summary, i) => ({
        ...summary,
        encounters: Object.values(lists[i] as Record<string, string>)
          .map((json) => JSON.parse(json) as PatientEncounter)
          .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt)),
      }))
      .sort((a, b) => Date.parse(b.lastEncounterAt) - Date.parse(a.lastEncounterAt));
  }
}
