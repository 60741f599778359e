export * from './encounter.js';
export * from './validate.js';
export * from './age.js';
export * from './calendar.js';
export { buildEncounterJsonSchema, ENCOUNTER_SCHEMA_ID } from './json-schema.js';
