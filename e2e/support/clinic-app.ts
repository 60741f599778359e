// What a clinician does in the SMC Clinic app: sign in at DHIS2's login page, choose the facility, register
// a patient, enter a visit, read the outbox, practise. Buttons and links are found by the words on the
// screen, in the app's language (from its own translations); form fields by their ids, which are the
// contract's JSON Pointers (`field-patient-name-given`). Shared by the browser test, the screenshots and
// the sync benchmark.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { wordsFor, type Language, type Words } from './app-words.js';

/** The browser globals the page functions below use (this program is type-checked without the DOM library). */
interface InPage {
  navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
  location: { hash: string };
}

export interface NewPatient {
  given: string;
  family: string;
  sex: 'female' | 'male';
  birthDate: string;
  phone?: string;
  village?: string;
}

/** A form field by its contract pointer (`/patient/name/given` → `#field-patient-name-given`). */
const fieldId = (pointer: string) => `#field${pointer.replace(/\//g, '-')}`;
/** One option of a radio group by its contract pointer and value. */
const radio = (page: Page, pointer: string, value: string) => page.locator(`input[name="field${pointer.replace(/\//g, '-')}"][value="${value}"]`);

/** What the clinician fills in for each kind of visit used here, beyond the form's own defaults. */
export const VISITS = {
  consultation: {
    button: 'Consultation',
    async fill(page: Page) {
      await page.locator(fieldId('/vitals/temperatureC')).fill('37.2');
      await page.locator(fieldId('/diagnoses/0/code')).selectOption('J06.9');
    },
  },
  malaria: {
    button: 'Malaria test and treat',
    async fill(page: Page) {
      await page.locator(fieldId('/vitals/temperatureC')).fill('38.9');
      await radio(page, '/malaria/test/result', 'positive').check();
      await page.locator(fieldId('/malaria/treatment')).selectOption('act');
    },
  },
  anc: {
    button: 'Antenatal visit',
    async fill(page: Page) {
      await page.locator(fieldId('/anc/gestationalAgeWeeks')).fill('24');
      await page.locator(fieldId('/anc/iptpDose')).fill('2');
      await page.locator(`${fieldId('/anc/llinGiven')} input`).check();
    },
  },
} satisfies Record<string, { button: string; fill(page: Page): Promise<void> }>;
export type Visit = keyof typeof VISITS;

export class ClinicApp {
  readonly words: Words;

  constructor(
    public page: Page,
    language: Language = 'en',
  ) {
    this.words = wordsFor(language);
  }

  field(pointer: string): Locator {
    return this.page.locator(fieldId(pointer));
  }

  radio(pointer: string, value: string): Locator {
    return radio(this.page, pointer, value);
  }

  button(english: string): Locator {
    return this.page.getByRole('button', { name: this.words(english), exact: true });
  }

  text(english: string): Locator {
    return this.page.getByText(this.words(english), { exact: true });
  }

  /** Opens the app's URL; DHIS2 sends the browser to its (stand-in's) login page first, then back. */
  async signIn(appUrl: string, user: { username: string; password: string }): Promise<void> {
    await this.page.goto(appUrl);
    await this.page.getByLabel('Username').fill(user.username);
    await this.page.getByLabel('Password').fill(user.password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.waitForURL((url) => url.pathname.includes('/api/apps/'));
  }

  /** Waits until the app is drawn (its navigation). */
  async ready(): Promise<void> {
    await this.page.locator('nav a[href="#/outbox"]').waitFor();
  }

  /** Chooses the facility when the app asks (a user of several facilities, the first time on this device). */
  async chooseFacilityIfAsked(name: string): Promise<void> {
    await this.ready();
    const picker = this.page.locator('#facility-picker-start');
    if (await picker.isVisible()) await picker.selectOption({ label: name });
    await this.page.locator('#patient-search').waitFor();
  }

  /**
   * Reloads once the service worker is ready, so that from then on it controls the page and the app shell
   * comes from its cache when the network is off (the platform's "Refresh to use offline features").
   */
  async readyForOffline(): Promise<void> {
    await this.page.evaluate(async () => {
      await (globalThis as unknown as InPage).navigator.serviceWorker.ready;
    });
    if (!(await this.page.evaluate(() => (globalThis as unknown as InPage).navigator.serviceWorker.controller !== null))) {
      await this.page.reload();
      await this.ready();
    }
    await this.page.waitForFunction(() => (globalThis as unknown as InPage).navigator.serviceWorker.controller !== null);
  }

  async goTo(hash: string): Promise<void> {
    await this.page.evaluate((target) => {
      (globalThis as unknown as InPage).location.hash = target;
    }, hash);
  }

  /** Fills the registration form from the patients screen (without registering). */
  async fillRegistration(patient: NewPatient): Promise<void> {
    await this.goTo('#/patients');
    await this.button('Register a new patient').click();
    await this.field('/patient/name/given').fill(patient.given);
    await this.field('/patient/name/family').fill(patient.family);
    await this.radio('/patient/sex', patient.sex).check();
    await this.radio('/patient/ageKnownAs', 'birthDate').check();
    await this.field('/patient/birthDate').fill(patient.birthDate);
    if (patient.phone) await this.field('/patient/phone').fill(patient.phone);
    if (patient.village) await this.field('/patient/village').fill(patient.village);
  }

  /** Registers a patient from the patients screen; ends on the patient's page. */
  async registerPatient(patient: NewPatient): Promise<void> {
    await this.fillRegistration(patient);
    await this.button('Register').click();
    await this.page.getByRole('heading', { name: this.words('New encounter') }).waitFor();
  }

  /** From the patient's page: opens a new visit of that kind and fills it in (without saving). */
  async fillVisit(kind: Visit, practitioner = 'Esther Fru'): Promise<void> {
    const visit = VISITS[kind];
    await this.button(visit.button).click();
    await this.page.getByRole('form').waitFor();
    const seenBy = this.field('/practitioner/name');
    if ((await seenBy.inputValue()) === '') await seenBy.fill(practitioner);
    await visit.fill(this.page);
  }

  /** Saves the open form; ends on the patient's page, which says it is saved on this device. */
  async save(): Promise<void> {
    await this.button('Save').click();
    await this.text('Saved on this device').first().waitFor();
  }

  async enterVisit(kind: Visit): Promise<void> {
    await this.fillVisit(kind);
    await this.save();
  }

  /** The ids of the encounters the outbox lists (each row is `outbox-<id>`), in its order. */
  async outboxIds(): Promise<string[]> {
    await this.goTo('#/outbox');
    await this.page.getByRole('heading', { name: this.words('Outbox'), exact: true }).waitFor();
    const tests = await this.page.locator('[data-test^="outbox-"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-test') ?? ''));
    return tests.map((test) => test.slice('outbox-'.length));
  }

  outboxRow(id: string): Locator {
    return this.page.locator(`[data-test="outbox-${id}"]`);
  }

  get practiceBanner(): Locator {
    return this.page.locator('[data-test="practice-banner"]');
  }

  /** Turns practice mode on or off from the Settings screen. */
  async setPracticeMode(on: boolean): Promise<void> {
    await this.goTo('#/settings');
    const toggle = this.page.getByRole('switch', { name: this.words('Practice mode') });
    if ((await toggle.isChecked()) !== on) await toggle.click();
    await this.practiceBanner.waitFor({ state: on ? 'visible' : 'detached' });
  }
}

/** Sets the DHIS2 user's UI language (user setting keyUiLocale), as the user's profile in DHIS2 does. */
export async function setUiLocale(context: BrowserContext, dhis2Url: string, locale: string): Promise<void> {
  const answer = await context.request.post(`${dhis2Url}/api/userSettings/keyUiLocale?value=${encodeURIComponent(locale)}`);
  if (!answer.ok()) throw new Error(`keyUiLocale could not be set: HTTP ${answer.status()}`);
}
