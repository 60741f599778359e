// Mapping benchmark: how many encounters per second aggregateContributions maps on one core (FHIRPath
// conditions, age bands, periods), without Redis or HTTP. Prints the figure and the cells produced.
import { loadMappings } from '../middleware/src/mapping/load-mappings.js';
import { aggregateContributions } from '../middleware/src/mapping/aggregate-contributions.js';
import { loadConfig } from '../middleware/src/config/config.js';
import { generateEncounters } from '@smc-bridge/generator';

const total = Number(process.argv[2] ?? 20_000);
const mappings = loadMappings(loadConfig({}).mappingsDir);
const encounters = generateEncounters({ seed: 7, facilityCount: 50, encounterCount: total, endDate: '2026-10-31', days: 365 });
for (const encounter of encounters.slice(0, 2000)) aggregateContributions(encounter, mappings); // warm up
const started = performance.now();
let cells = 0;
for (const encounter of encounters) cells += aggregateContributions(encounter, mappings).contributions.length;
const seconds = (performance.now() - started) / 1000;
console.log(`mapped ${total} encounters into ${cells} contributions in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} encounters/s on one core`);
