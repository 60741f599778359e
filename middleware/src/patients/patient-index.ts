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
import type { Redis } from 'ioredis';
import type { EncounterRef } from '../domain/encounter-ref.js';
import { isPractice } from '../domain/practice.js';
import type { RedisKeys } from '../redis/keys.js';
import { repliesOf } from '../redis/replies.js';

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

// KEYS[1] the facility's patients, KEYS[2] the patient's encounters, KEYS[3] where the encounter is filed.
// ARGV: patient key, summary JSON ('' for a withdrawn version: it does not speak for the patient), the
// encounter's time (ms), the encounter field, the encounter JSON, its version, this filing, the prefix of
// encounter lists (to empty the one a moved encounter leaves).
const RECORD_SCRIPT = `
local held = redis.call('HGET', KEYS[2], ARGV[4])
if held and cjson.decode(held).version >= tonumber(ARGV[6]) then return 0 end
local before = redis.call('GET', KEYS[3])
if before and before ~= ARGV[7] then redis.call('HDEL', ARGV[8] .. before, ARGV[4]) end
redis.call('SET', KEYS[3], ARGV[7])
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
if ARGV[2] ~= '' then
  local current = redis.call('HGET', KEYS[1], ARGV[1])
  if (not current) or tonumber(cjson.decode(current).lastEncounterMs) <= tonumber(ARGV[3]) then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  end
end
return 1
`;

interface IndexScripts {
  smcRecordPatient(...args: string[]): void;
}

export class PatientIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    redis.defineCommand('smcRecordPatient', { numberOfKeys: 3, lua: RECORD_SCRIPT });
  }

  /** Files each current version under its facility and patient, in one round trip. Safe to run twice. */
  async record(encounters: readonly { ref: EncounterRef; encounter: Encounter }[]): Promise<void> {
    if (encounters.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { ref, encounter } of encounters) {
      const practice = isPractice(encounter);
      const facility = facilityKeyOf(encounter.facility);
      const key = patientKeyOf(encounter);
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
      const filing = this.keys.patientEncountersSuffix(facility, practice, key);
      (pipeline as unknown as IndexScripts).smcRecordPatient(
        this.keys.patientsOf(facility, practice),
        this.keys.patientEncounters(facility, practice, key),
        this.keys.patientFiling(ref.source, ref.id),
        key,
        encounter.status === 'entered-in-error' ? '' : JSON.stringify(summary),
        String(summary.lastEncounterMs),
        `${ref.source}~${ref.id}`,
        JSON.stringify(entry),
        String(ref.version),
        filing,
        this.keys.patientEncountersPrefix(),
      );
    }
    await repliesOf(pipeline);
  }

  /** A facility's patients (practice ones apart), each with its encounters, most recent first. */
  async patientsOf(facility: string, practice: boolean): Promise<IndexedPatient[]> {
    const stored = await this.redis.hgetall(this.keys.patientsOf(facility, practice));
    const summaries = Object.values(stored).map((json) => {
      const { lastEncounterMs: _ms, ...summary } = JSON.parse(json) as PatientSummary & { lastEncounterMs: number };
      return summary;
    });
    if (summaries.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const summary of summaries) pipeline.hgetall(this.keys.patientEncounters(facility, practice, summary.key));
    const lists = await repliesOf(pipeline);
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
