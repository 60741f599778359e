// System settings that change data value validation, with DHIS2's defaults (reference/dhis2-web-api.md §1.6).
// Each is OR-ed with the matching request flag, so a server-side `true` cannot be relaxed by a client.
import type { StrictFlag } from './import-options.js';

export interface SystemSettings {
  keyDataImportStrictPeriods: boolean;
  keyDataImportStrictDataElements: boolean;
  keyDataImportStrictCategoryOptionCombos: boolean;
  keyDataImportStrictOrganisationUnits: boolean;
  keyDataImportStrictAttributeOptionCombos: boolean;
  keyDataImportRequireCategoryOptionCombo: boolean;
  keyDataImportRequireAttributeOptionCombo: boolean;
  keyDataImportStrictDataSetApproval: boolean;
  keyDataImportStrictDataSetLocking: boolean;
  keyDataImportStrictDataSetInputPeriods: boolean;
}

export const DEFAULT_SYSTEM_SETTINGS: Readonly<SystemSettings> = {
  keyDataImportStrictPeriods: false,
  keyDataImportStrictDataElements: false,
  keyDataImportStrictCategoryOptionCombos: false,
  keyDataImportStrictOrganisationUnits: false,
  keyDataImportStrictAttributeOptionCombos: false,
  keyDataImportRequireCategoryOptionCombo: false,
  keyDataImportRequireAttributeOptionCombo: false,
  keyDataImportStrictDataSetApproval: true,
  keyDataImportStrictDataSetLocking: true,
  keyDataImportStrictDataSetInputPeriods: true,
};

export const SETTING_FOR_FLAG: Record<StrictFlag, keyof SystemSettings> = {
  strictPeriods: 'keyDataImportStrictPeriods',
  strictDataElements: 'keyDataImportStrictDataElements',
  strictCategoryOptionCombos: 'keyDataImportStrictCategoryOptionCombos',
  strictAttributeOptionCombos: 'keyDataImportStrictAttributeOptionCombos',
  strictOrganisationUnits: 'keyDataImportStrictOrganisationUnits',
  strictDataSetApproval: 'keyDataImportStrictDataSetApproval',
  strictDataSetLocking: 'keyDataImportStrictDataSetLocking',
  strictDataSetInputPeriods: 'keyDataImportStrictDataSetInputPeriods',
  requireCategoryOptionCombo: 'keyDataImportRequireCategoryOptionCombo',
  requireAttributeOptionCombo: 'keyDataImportRequireAttributeOptionCombo',
};
