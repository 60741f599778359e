export * from './encounter.js';
export * from './validate.js';
export * from './age.js';
export { buildEncounterJsonSchema, ENCOUNTER_SCHEMA_ID } from './json-schema.js';
