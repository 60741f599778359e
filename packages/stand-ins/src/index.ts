// The stand-ins for the systems the middleware delivers to, for tests, benchmarks and the demo: a DHIS2 Web
// API (shared/reference/dhis2-web-api.md), a FHIR R4 server (Medplum's router over memory), and the
// fault-acting HTTP server both run behind. They import no product code. msw handlers for the DHIS2 stand-in
// are in `@smc-bridge/stand-ins/msw`, so that loading the stand-ins does not load msw.
export * from './dhis2/index.js';
export * from './fhir/index.js';
export {
  ancestorCodes,
  byUid,
  cellLabel,
  facilitiesOf,
  metadataPackage,
  nonZeroValues,
  orgUnitsPayload,
  orgUnitUid,
  standInMetadata,
  uidFor,
  SHIPPED_PACKAGE_FILE,
  type CellByCode,
  type OrgUnitRef,
} from './dhis2/package-metadata.js';
