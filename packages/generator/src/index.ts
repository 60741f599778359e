// Public API of the synthetic encounter generator (tests, `smc-bridge demo`, benchmarks).
export { encounterStream, generateEncounters, ENCOUNTER_TYPE_MIX, type GeneratorOptions } from './generate.js';
export { generateFacilities, type Facility, type StaffMember, type PractitionerRole } from './facilities.js';
export { createRandom, Random, WeightedTable, type WeightedChoices } from './random.js';
export { COUNTRY_PROFILES, type Country } from './countries.js';
export { NAME_BOOKS, type NameBook } from './names.js';
export { EPI_SCHEDULE, contactDueDate, type EpiContact } from './immunization.js';
