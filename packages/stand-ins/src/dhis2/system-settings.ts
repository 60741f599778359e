// System settings with DHIS2's defaults (dhis2-core 2.41 dhis-api/.../setting/SettingKey.java): those that
// change data value validation (reference/dhis2-web-api.md §1.6; each is OR-ed with the matching request
// flag, so a server-side `true` cannot be relaxed by a client), and those a platform app and its login
// dialog read (applicationTitle, helpPageLink, keyUiLocale as the fallback of the user setting, the login
// page's keys). `GET/POST /api/systemSettings[/{key}]` are answered by system-settings-api.ts.
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
  /** APPLICATION_TITLE (translatable): the header bar's title, the login page's. */
  applicationTitle: string;
  /** HELP_PAGE_LINK: the header bar's help link. */
  helpPageLink: string;
  /** START_MODULE: where a login sends the user (`redirectUrl`). */
  startModule: string;
  /** UI_LOCALE: the users' `keyUiLocale` when they set none. */
  keyUiLocale: string;
  /** DB_LOCALE: no default. */
  keyDbLocale: string | null;
  keyStyle: string;
  keyAnalysisDisplayProperty: string;
  keyFlag: string;
  keyUseCustomLogoBanner: boolean;
  keyUseCustomLogoFront: boolean;
  keyApplicationIntro: string | null;
  keyApplicationNotification: string | null;
  keyApplicationFooter: string | null;
  keyApplicationRightFooter: string | null;
  loginPopup: string;
  loginPageLayout: string;
  loginPageTemplate: string | null;
  keyAccountRecovery: boolean;
  keySelfRegistrationNoRecaptcha: boolean;
  /** Confidential: left out of `GET /api/systemSettings`, shown by loginConfig. */
  recaptchaSite: string;
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
  applicationTitle: 'DHIS 2',
  helpPageLink: 'https://dhis2.github.io/dhis2-docs/master/en/user/html/dhis2_user_manual_en.html',
  startModule: 'dhis-web-dashboard',
  keyUiLocale: 'en',
  keyDbLocale: null,
  keyStyle: 'light_blue/light_blue.css',
  keyAnalysisDisplayProperty: 'name',
  keyFlag: 'dhis2',
  keyUseCustomLogoBanner: false,
  keyUseCustomLogoFront: false,
  keyApplicationIntro: null,
  keyApplicationNotification: null,
  keyApplicationFooter: null,
  keyApplicationRightFooter: null,
  loginPopup: '',
  loginPageLayout: 'DEFAULT',
  loginPageTemplate: null,
  keyAccountRecovery: false,
  keySelfRegistrationNoRecaptcha: false,
  recaptchaSite: '6LcVwT0UAAAAAAkO_EGPiYOiymIszZUeHfqWIYX5',
};

/** SettingKey's `confidential` flag, for the keys the stand-in has. */
export const CONFIDENTIAL_SETTINGS: ReadonlySet<string> = new Set(['recaptchaSite']);

type BooleanSetting = { [K in keyof SystemSettings]: SystemSettings[K] extends boolean ? K : never }[keyof SystemSettings];

export const SETTING_FOR_FLAG: Record<StrictFlag, BooleanSetting> = {
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
