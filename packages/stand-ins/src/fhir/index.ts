// Public API of the FHIR stand-in (tests, `smc-bridge demo`).
export { FhirStandIn, type FhirStandInOptions, type FhirStandInRequest, type FhirStandInResponse } from './stand-in.js';
export { startFhirStandInServer, FHIR_BASE_PATH, type FhirStandInServer, type FhirStandInServerOptions } from './server.js';
export { FhirFaultInjector, type FhirFault, type FhirFaultMatch, type RandomFhirFaults } from './fhir-faults.js';
