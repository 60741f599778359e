// What a clinician does in the SMC Clinic app, in the words on the screen (the English ones unless said):
// sign in at DHIS2's login page, choose the facility, register a patient, enter an encounter, read the
// outbox. Shared by the browser test, the screenshots and the sync benchmark.
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** The browser globals the page functions below use (this program is type-checked without the DOM library). */
interface InPage {
  navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
  location: { hash: string };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A field by the start of its label (a required field's label ends with an asterisk). */
export const field = (page: Page, label: string): Locator => page.getByLabel(new RegExp(`^${escape(label)}\\s*\\*?$`));

/** Opens the app's URL; DHIS2 sends the browser to its login page first, then back to the app. */
export async function signIn(page: Page, appUrl: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(appUrl);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.includes('/api/apps/'));
}

/** Waits until the app is drawn (its navigation), whatever the language. */
export async function appReady(page: Page): Promise<void> {
  await page.locator('nav a[href="#/outbox"]').waitFor();
}

/** Chooses the facility when the app asks (a user of several facilities, the first time on this device). */
export async function chooseFacilityIfAsked(page: Page, name: string): Promise<void> {
  await appReady(page);
  const picker = page.locator('#facility-picker-start');
  if (await picker.isVisible()) await picker.selectOption({ label: name });
  await page.getByLabel('Search by name, phone or identifier').waitFor();
}

/**
 * Reloads once the service worker is ready, so that from then on it controls the page and the app shell
 * comes from its cache when the network is off (the platform's "Refresh to use offline features").
 */
export async function readyForOffline(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (globalThis as unknown as InPage).navigator.serviceWorker.ready;
  });
  if (!(await page.evaluate(() => (globalThis as unknown as InPage).navigator.serviceWorker.controller !== null))) {
    await page.reload();
    await appReady(page);
  }
  await page.waitForFunction(() => (globalThis as unknown as InPage).navigator.serviceWorker.controller !== null);
}

export const goTo = async (page: Page, hash: string) => {
  await page.evaluate((target) => {
    (globalThis as unknown as InPage).location.hash = target;
  }, hash);
};

export interface NewPatient {
  given: string;
  family: string;
  sex: 'Female' | 'Male';
  birthDate: string;
  phone?: string;
  village?: string;
}

/** Registers a patient from the patients screen; ends on the patient's page. */
export async function registerPatient(page: Page, patient: NewPatient): Promise<void> {
  await goTo(page, '#/patients');
  await page.getByRole('button', { name: /^Register a new patient$/ }).click();
  await field(page, 'Given name').fill(patient.given);
  await field(page, 'Family name').fill(patient.family);
  await page.getByLabel(patient.sex, { exact: true }).check();
  await page.getByLabel('Yes, the birth date').check();
  await field(page, 'Birth date').fill(patient.birthDate);
  if (patient.phone) await field(page, 'Phone').fill(patient.phone);
  if (patient.village) await field(page, 'Village or neighbourhood').fill(patient.village);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.getByRole('heading', { name: 'New encounter' }).waitFor();
}

/** What the clinician fills in for each kind of visit used here, beyond the form's own defaults. */
export const ENTRIES = {
  consultation: {
    button: 'Consultation',
    async fill(page: Page) {
      await field(page, 'Temperature (°C)').fill('37.2');
      await field(page, 'Diagnosis 1').selectOption('J06.9');
    },
  },
  malaria: {
    button: 'Malaria test and treat',
    async fill(page: Page) {
      await field(page, 'Temperature (°C)').fill('38.9');
      await page.getByLabel('Positive', { exact: true }).check();
      await field(page, 'Antimalarial treatment').selectOption('act');
    },
  },
  anc: {
    button: 'Antenatal visit',
    async fill(page: Page) {
      await field(page, 'Gestational age (weeks)').fill('24');
      await field(page, 'IPTp-SP dose given').fill('2');
      await page.getByLabel('Insecticide-treated net given').check();
    },
  },
} satisfies Record<string, { button: string; fill(page: Page): Promise<void> }>;
export type Entry = keyof typeof ENTRIES;

/** From the patient's page: enters a visit of that kind and saves it; ends on the patient's page. */
export async function enterEncounter(page: Page, kind: Entry, practitioner = 'Esther Fru'): Promise<void> {
  const entry = ENTRIES[kind];
  await page.getByRole('button', { name: entry.button, exact: true }).click();
  await page.getByRole('form').waitFor();
  const seenBy = field(page, 'Seen by');
  if ((await seenBy.inputValue()) === '') await seenBy.fill(practitioner);
  await entry.fill(page);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved on this device').first().waitFor();
}

/** The ids of the encounters the outbox lists (each row is `outbox-<id>`), newest first. */
export async function outboxIds(page: Page): Promise<string[]> {
  await goTo(page, '#/outbox');
  await page.getByRole('heading', { name: /^(Outbox|Envois)$/ }).waitFor();
  const rows = page.locator('[data-test^="outbox-"]');
  const tests = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-test') ?? ''));
  return tests.map((test) => test.slice('outbox-'.length));
}

/** The state the outbox shows for one encounter (its State column). */
export const outboxRow = (page: Page, id: string): Locator => page.locator(`[data-test="outbox-${id}"]`);

/** Turns practice mode on or off from the Settings screen. */
export async function setPracticeMode(page: Page, on: boolean): Promise<void> {
  await goTo(page, '#/settings');
  const toggle = page.getByRole('switch', { name: 'Practice mode' });
  if ((await toggle.isChecked()) !== on) await toggle.click();
  await (on ? page.locator('[data-test="practice-banner"]').waitFor() : page.locator('[data-test="practice-banner"]').waitFor({ state: 'detached' }));
}

/** Sets the DHIS2 user's UI language (user setting keyUiLocale), as the user's profile in DHIS2 does. */
export async function setUiLocale(context: BrowserContext, dhis2Url: string, locale: string): Promise<void> {
  const answer = await context.request.post(`${dhis2Url}/api/userSettings/keyUiLocale?value=${encodeURIComponent(locale)}`);
  if (!answer.ok()) throw new Error(`keyUiLocale could not be set: HTTP ${answer.status()}`);
}
