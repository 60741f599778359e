// Loads the terminology tables of mappings/fhir/*.yaml (DESIGN.md §4): each file is checked against
// TerminologyFileSchema, the files are merged (a section may live in one file only), and the merged tables
// must cover every code the contract can send, so a missing vaccine or medicine is found at start-up and
// not when its first encounter arrives. Every error names file, line and path. Also reads the facility
// table (mappings/facilities.yaml), so FHIR names a facility by the same DHIS2 code as the aggregates and
// dates a birth implied by an estimated age on the facility's local date.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENCOUNTER_TYPES, FP_METHODS, VACCINES, type EncounterType } from '@smc-bridge/contract';
import { loadFacilityTable, type FacilityTable } from '../mapping-files/facility-table.js';
import { MappingFileError, pathText, readYaml, type Located, type MappingError } from '../mapping-files/read-yaml.js';
import {
  BIRTH_OUTCOMES,
  CONDITION_KEYS,
  DELIVERY_MODES,
  EXTENSION_KEYS,
  IDENTIFIER_SYSTEM_KEYS,
  MADX_KEYS,
  MALARIA_RESULTS,
  MEDICATION_KEYS,
  OBSERVATION_KEYS,
  REFERRAL_URGENCIES,
  TerminologyFileSchema,
  type CodingEntry,
  type ConceptEntry,
  type EncounterTypeEntry,
  type MadxEntry,
  type MalariaResultEntry,
  type MedicationEntry,
  type MedicationKey,
  type ObservationEntry,
  type ObservationKey,
  type TerminologyFile,
} from '../mapping-files/terminology-file-schema.js';

export type { CodingEntry, ConceptEntry, EncounterTypeEntry, MedicationEntry, MedicationKey, ObservationKey };

export type IdentifierSystemKey = (typeof IDENTIFIER_SYSTEM_KEYS)[number];
export type ExtensionKey = (typeof EXTENSION_KEYS)[number];
type FhirFamilyPlanningMethod = (typeof FP_METHODS)[number];
type Vaccine = (typeof VACCINES)[number];

/** The merged tables, complete for every code the contract can send. */
export interface Terminology {
  identifierSystems: Record<IdentifierSystemKey, string>;
  extensions: Record<ExtensionKey, string>;
  participantType: ConceptEntry;
  encounterTypes: Record<EncounterType, EncounterTypeEntry>;
  observations: Record<ObservationKey, ObservationEntry>;
  malariaResults: Record<(typeof MALARIA_RESULTS)[number], MalariaResultEntry>;
  conditions: {
    system: string;
    category: ConceptEntry;
    clinicalStatus: ConceptEntry;
    verificationStatus: ConceptEntry;
    provisional: ConceptEntry;
    refuted: ConceptEntry;
    testConfirmed: string[];
    enteredInError: ConceptEntry;
    displays: Record<string, string>;
  };
  vaccines: Record<Vaccine, { code: ConceptEntry; targetDisease: ConceptEntry[] }>;
  medications: Record<MedicationKey, MedicationEntry>;
  familyPlanningMethods: Record<FhirFamilyPlanningMethod, ConceptEntry>;
  deliveryModes: Record<(typeof DELIVERY_MODES)[number], ConceptEntry>;
  birthOutcomes: Record<(typeof BIRTH_OUTCOMES)[number], ConceptEntry>;
  referral: { code: ConceptEntry; priority: Record<(typeof REFERRAL_URGENCIES)[number], 'routine' | 'urgent' | 'asap' | 'stat'> };
  /** Systems of the mADX MeasureReports (every key is required). */
  madx: Required<MadxEntry>;
  /** Facility code → DHIS2 org unit code and time zone (mappings/facilities.yaml). */
  facilities: FacilityTable;
}

type Section = Exclude<keyof TerminologyFile, 'description'>;

/** Keys each section must define, across all files. */
const REQUIRED_KEYS: Record<Section, readonly string[]> = {
  identifierSystems: IDENTIFIER_SYSTEM_KEYS,
  extensions: EXTENSION_KEYS,
  participantType: [],
  encounterTypes: ENCOUNTER_TYPES,
  observations: OBSERVATION_KEYS,
  malariaResults: MALARIA_RESULTS,
  conditions: CONDITION_KEYS,
  vaccines: VACCINES,
  medications: MEDICATION_KEYS,
  familyPlanningMethods: FP_METHODS,
  deliveryModes: DELIVERY_MODES,
  birthOutcomes: BIRTH_OUTCOMES,
  referral: ['code', 'priority'],
  madx: MADX_KEYS,
};

export const TERMINOLOGY_DIRECTORY = 'fhir';

export function loadTerminology(mappingsDirectory: string): Terminology {
  const errors: MappingError[] = [];
  const display = (file: string) => relative(process.cwd(), file) || file;
  const directory = join(mappingsDirectory, TERMINOLOGY_DIRECTORY);
  const files = existsSync(directory)
    ? readdirSync(directory).filter((name) => /\.ya?ml$/.test(name)).sort()
    : [];
  if (files.length === 0) {
    throw new MappingFileError([{ file: display(directory), path: '', message: 'holds no terminology file (*.yaml)' }]);
  }

  const merged: Partial<Record<Section, unknown>> = {};
  let unreadable = false;
  const origin = new Map<Section, { file: string; located: Located<TerminologyFile> }>();
  for (const name of files) {
    const path = join(directory, name);
    let located: Located<TerminologyFile>;
    try {
      located = readYaml(path, TerminologyFileSchema, display(path));
    } catch (error) {
      if (error instanceof MappingFileError) {
        errors.push(...error.errors);
        unreadable = true;
        continue;
      }
      throw error;
    }
    for (const section of Object.keys(REQUIRED_KEYS) as Section[]) {
      if (located.value[section] === undefined) continue;
      const first = origin.get(section);
      if (first) {
        errors.push({
          file: display(path),
          line: located.lineOf([section]),
          path: section,
          message: `section "${section}" is already defined in ${first.file}; keep each section in one file`,
        });
        continue;
      }
      origin.set(section, { file: display(path), located });
      merged[section] = located.value[section];
    }
  }

  for (const [section, keys] of Object.entries(REQUIRED_KEYS) as [Section, readonly string[]][]) {
    const where = origin.get(section);
    const value = merged[section] as Record<string, unknown> | undefined;
    if (!where || value === undefined) {
      // A section in a file that did not read is reported by that file's own errors.
      if (!unreadable) errors.push({ file: display(directory), path: section, message: `no file defines section "${section}"` });
      continue;
    }
    for (const key of keys) {
      if (value[key] === undefined) {
        errors.push({
          file: where.file,
          line: where.located.lineOf([section]),
          path: pathText([section, key]),
          message:
            section === 'madx'
              ? `missing: mADX MeasureReports need "${key}"`
              : `missing: the contract can send "${key}", so "${section}" needs an entry for it`,
        });
      }
    }
  }

  // Rules a schema cannot say: a medication that emits a resource needs its code; a malaria result has a
  // value or a data-absent reason, not both.
  const check = (section: Section, key: string, message: string, sub: string[] = []) => {
    const where = origin.get(section);
    errors.push({
      file: where?.file ?? display(directory),
      line: where?.located.lineOf([section, key, ...sub]),
      path: pathText([section, key, ...sub]),
      message,
    });
  };
  for (const [key, medication] of Object.entries((merged.medications ?? {}) as Record<string, MedicationEntry>)) {
    if (medication.resource !== 'none' && medication.code === undefined) check('medications', key, `needs a code to emit a ${medication.resource}`);
    if (medication.resource === 'Immunization' && medication.targetDisease === undefined) check('medications', key, 'needs a targetDisease to emit an Immunization');
  }
  for (const [key, result] of Object.entries((merged.malariaResults ?? {}) as Record<string, MalariaResultEntry>)) {
    if ((result.value === undefined) === (result.dataAbsentReason === undefined)) check('malariaResults', key, 'needs exactly one of value or dataAbsentReason');
  }
  for (const [key, observation] of Object.entries((merged.observations ?? {}) as Record<string, ObservationEntry>)) {
    const numeric = !['bloodPressure', 'malariaRdt', 'malariaMicroscopy', 'contraceptiveMethod', 'contraceptiveNewUser', 'birthOutcome', 'newbornSex'].includes(key);
    if (numeric && observation.unit === undefined) check('observations', key, 'a numeric observation needs a unit (UCUM)');
    // (systolic and diastolic are components of the panel, and observations of their own when the other is missing)
    const component = ['contraceptiveNewUser', 'newbornSex'].includes(key);
    if (!component && observation.category === undefined) check('observations', key, 'needs a category');
  }

  let facilities: FacilityTable | undefined;
  try {
    facilities = loadFacilityTable(mappingsDirectory, display);
  } catch (error) {
    if (error instanceof MappingFileError) errors.push(...error.errors);
    else throw error;
  }

  if (errors.length > 0) throw new MappingFileError(errors);
  const conditions = merged.conditions as Terminology['conditions'];
  return {
    ...(merged as Omit<Terminology, 'facilities' | 'conditions'>),
    conditions: { ...conditions, displays: conditions.displays ?? {} },
    facilities: facilities as FacilityTable,
  };
}
