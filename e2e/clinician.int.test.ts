// The built clinicians' app in Debian's Chromium, against the DHIS2 stand-in (serving the app, the login,
// the Route's run proxy), the real middleware on the real Redis and the FHIR stand-in. A clinician signs
// in, registers a patient and enters three visits offline, reloads, closes the tab and opens the app again,
// goes online, and every visit reaches DHIS2 and the FHIR server once; a correction changes the DHIS2 value;
// a practice visit never counts; the app follows the DHIS2 user's language. What DHIS2 and the FHIR server
// hold is read from the stand-ins, not from the screen.
import { jest } from '@jest/globals';
import type { Encounter as FhirEncounter } from '@medplum/fhirtypes';
import type { Encounter } from '@smc-bridge/contract';
import type { Page } from 'playwright-core';
import { launchChromium, type Chromium } from './support/chromium.js';
import { startClinicianStack, type ClinicianStack } from './support/clinician-stack.js';
import { ClinicApp, setUiLocale } from './support/clinic-app.js';

jest.setTimeout(180_000);

let stack: ClinicianStack;
let chromium: Chromium;

beforeAll(async () => {
  // The app is built first when dhis2-app/build is missing (a fresh clone): about 20 s.
  stack = await startClinicianStack({ label: 'clinician', syncSettings: { syncIntervalSeconds: 5, statusPollSeconds: 30 } });
  chromium = await launchChromium();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await stack?.close();
});

async function heldEncounters(ids: readonly string[]): Promise<Encounter[]> {
  return Promise.all(
    ids.map(async (id) => {
      const held = await stack.held(id);
      if (!held) throw new Error(`the middleware holds no encounter ${id}`);
      return held.encounter;
    }),
  );
}

/** FHIR Encounters that carry this encounter's id among their identifiers. */
async function fhirEncountersOf(id: string): Promise<number> {
  const all = await stack.fhir.standIn.all<FhirEncounter>('Encounter');
  return all.filter((resource) => (resource.identifier ?? []).some((identifier) => identifier.value?.includes(id))).length;
}

test('a clinician enters visits offline; each reaches DHIS2 and FHIR once; a correction, practice mode and French', async () => {
  const { context } = chromium;
  let page: Page = await context.newPage();
  let app = new ClinicApp(page);
  await app.signIn(stack.appUrl, stack.clinician);
  await app.chooseFacilityIfAsked('CSI Bambui');
  await app.readyForOffline();

  // Offline: the patient and three visits of different types stay on the device.
  await context.setOffline(true);
  const handledBeforeOffline = stack.dhis2.standIn.requests.length;
  await app.registerPatient({ given: 'Aminata', family: 'Ngono', sex: 'female', birthDate: '1999-04-12', village: 'Bambui' });
  for (const kind of ['consultation', 'malaria', 'anc'] as const) await app.enterVisit(kind);
  const ids = await app.outboxIds();
  expect(ids).toHaveLength(3);
  for (const id of ids) await app.outboxRow(id).getByText('Saved on this device').waitFor();
  expect(await Promise.all(ids.map((id) => stack.held(id)))).toEqual([undefined, undefined, undefined]);

  // A reload, then the tab closed and the app opened again, all still offline: nothing is lost.
  await page.reload();
  await app.ready();
  expect((await app.outboxIds()).sort()).toEqual([...ids].sort());
  await page.close();
  page = await context.newPage();
  app = new ClinicApp(page);
  await page.goto(stack.appUrl);
  await app.ready();
  expect((await app.outboxIds()).sort()).toEqual([...ids].sort());
  expect(await Promise.all(ids.map((id) => stack.held(id)))).toEqual([undefined, undefined, undefined]);
  expect(stack.dhis2Values().size).toBe(0);
  // Offline for real: the app came from the service worker's cache and nothing reached DHIS2 or the Route.
  // Two requests are let through because they come from the service worker itself, whose own fetches
  // Chromium's offline emulation does not hold back: the browser's check for a newer service worker, and
  // the platform's connection ping (/api/ping, /api/system/ping), which the worker sends network-only.
  // Neither carries data; on a real offline device both fail.
  const fromServiceWorker = (path: string) => path.endsWith('/service-worker.js') || /\/api(\/\d+)?(\/system)?\/ping$/.test(path);
  const reachedDhis2 = stack.dhis2.standIn.requests.slice(handledBeforeOffline).filter((request) => !fromServiceWorker(request.path));
  expect(reachedDhis2).toEqual([]);

  // Online: all three go through the Route, into DHIS2 and the FHIR server, each once.
  await context.setOffline(false);
  await stack.settled(ids);
  const sent = await heldEncounters(ids);
  expect(sent.map((encounter) => [encounter.version, encounter.training ?? false])).toEqual([[1, false], [1, false], [1, false]]);
  expect(new Set(sent.map((encounter) => encounter.type))).toEqual(new Set(['consultation', 'malaria', 'anc']));
  for (const encounter of sent) expect((await stack.held(encounter.id))?.targets).toMatchObject({ dhis2: { state: 'delivered' }, fhir: { state: 'delivered' } });
  const expected = stack.expectedValues(sent);
  expect(expected.size).toBeGreaterThan(3);
  const delivered = stack.dhis2Values();
  expect(delivered).toEqual(expected);
  for (const id of ids) expect(await fhirEncountersOf(id)).toBe(1);
  expect(await stack.fhir.standIn.all('Patient')).toHaveLength(1);
  // And the clinician sees it: the outbox asks where they stand.
  await app.button('Send and check now').click();
  for (const id of ids) await app.outboxRow(id).getByText('In DHIS2 and the FHIR record').waitFor({ timeout: 20_000 });

  // A correction: the malaria test was negative after all; a new version replaces the old one's counts.
  const malaria = sent.find((encounter) => encounter.type === 'malaria') as Encounter;
  await app.outboxRow(malaria.id).getByRole('button', { name: 'Open' }).click();
  await app.radio('/malaria/test/result', 'negative').check();
  await app.field('/malaria/treatment').selectOption('none');
  await app.save();
  await stack.settled([malaria.id], { minVersion: { [malaria.id]: 2 } });
  const corrected = await heldEncounters(ids);
  expect(corrected.find((encounter) => encounter.id === malaria.id)?.version).toBe(2);
  const afterCorrection = stack.dhis2Values();
  expect(afterCorrection).not.toEqual(delivered);
  expect(afterCorrection).toEqual(stack.expectedValues(corrected));
  expect(await fhirEncountersOf(malaria.id)).toBe(1);

  // Practice mode: marked on every screen, its visit carries the training flag and counts nowhere.
  await app.setPracticeMode(true);
  await app.registerPatient({ given: 'Practice', family: 'Patient', sex: 'female', birthDate: '2001-01-20' });
  await app.practiceBanner.waitFor();
  await app.enterVisit('consultation');
  const practiceId = (await app.outboxIds()).find((id) => !ids.includes(id));
  expect(practiceId).toBeDefined();
  await stack.settled([practiceId as string]);
  const practice = await stack.held(practiceId as string);
  expect(practice?.encounter.training).toBe(true);
  expect(practice?.targets).toMatchObject({ dhis2: { state: 'skipped' }, fhir: { state: 'skipped' } });
  expect(stack.dhis2Values()).toEqual(afterCorrection);
  expect(await fhirEncountersOf(practiceId as string)).toBe(0);
  expect(await stack.fhir.standIn.all('Patient')).toHaveLength(1);
  await app.button('Leave practice mode').click();
  await app.practiceBanner.waitFor({ state: 'detached' });

  // French, the DHIS2 user's UI language.
  await setUiLocale(context, stack.dhis2.url, 'fr');
  await page.reload();
  app = new ClinicApp(page, 'fr');
  await app.ready();
  await app.goTo('#/patients');
  await page.getByRole('link', { name: 'Envois' }).waitFor();
  await page.getByRole('link', { name: 'Paramètres' }).waitFor();
  await page.getByRole('button', { name: 'Enregistrer un nouveau patient' }).waitFor();
  await page.getByLabel('Rechercher par nom, téléphone ou identifiant').waitFor();
  await app.goTo('#/outbox');
  for (const id of ids) await app.outboxRow(id).getByText('Dans DHIS2 et le dossier FHIR').waitFor({ timeout: 20_000 });

  // At 200 % zoom (the browser halves the CSS pixels a screen has): every screen still reads without
  // scrolling sideways, the encounter form included.
  await page.setViewportSize({ width: 640, height: 450 });
  const sideways = () =>
    page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
  for (const hash of ['#/patients', '#/patients/new', '#/outbox', '#/settings', `#/encounters/${encodeURIComponent(malaria.id)}`]) {
    await app.goTo(hash);
    await page.getByRole('heading').first().waitFor();
    expect([hash, await sideways()]).toEqual([hash, 0]);
  }
});
