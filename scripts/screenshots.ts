// Screenshots of the clinicians' app's main screens, in English and French, for the README:
// `npx tsx scripts/screenshots.ts` (builds the app first when dhis2-app/build is missing) writes
// docs/screenshots/<language>/<screen>.png. The same stack as the browser test (e2e/support/): the built
// app served by the DHIS2 stand-in, the real middleware on the local Redis (its own key prefix, removed
// afterwards), the FHIR stand-in, Debian's Chromium.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/chromium.js';
import { ClinicApp, setUiLocale } from '../e2e/support/clinic-app.js';
import { startClinicianStack } from '../e2e/support/clinician-stack.js';
import type { Language } from '../e2e/support/app-words.js';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
const LANGUAGES: readonly Language[] = ['en', 'fr'];

/** The browser globals the page function below uses (type-checked without the DOM library). */
interface InPage {
  document: { querySelectorAll(selector: string): ArrayLike<{ scrollTop: number }> };
}

/** A shot of the window; `tall` ones (long forms) in a window tall enough for the whole form, from its top. */
async function shoot(page: Page, language: Language, screen: string, tall?: number): Promise<void> {
  const normal = page.viewportSize();
  if (tall && normal) await page.setViewportSize({ width: normal.width, height: tall });
  // The platform's shell scrolls inside its own element, not the document: back to the top of everything.
  await page.evaluate(() => {
    for (const element of Array.from((globalThis as unknown as InPage).document.querySelectorAll('*'))) if (element.scrollTop > 0) element.scrollTop = 0;
  });
  // Let the last change draw (focus rings, notices) before the shot.
  await page.waitForTimeout(300);
  const path = `${OUT}${language}/${screen}.png`;
  await page.screenshot({ path });
  if (tall && normal) await page.setViewportSize(normal);
  console.log(`  ${path.slice(OUT.length)}`);
}

async function screensIn(language: Language): Promise<void> {
  const stack = await startClinicianStack({ label: `screens-${language}`, syncSettings: { syncIntervalSeconds: 5, statusPollSeconds: 30 } });
  const chromium = await launchChromium({ locale: language === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width: 1100, height: 760 } });
  try {
    const { context } = chromium;
    const page = await context.newPage();
    let app = new ClinicApp(page);
    await app.signIn(stack.appUrl, stack.clinician);
    if (language !== 'en') {
      await setUiLocale(context, stack.dhis2.url, language);
      await page.reload();
      app = new ClinicApp(page, language);
    }
    await app.ready();
    await shoot(page, language, 'facility');
    await app.chooseFacilityIfAsked('CSI Bambui');
    await app.readyForOffline();

    for (const patient of [
      { given: 'Aminata', family: 'Ngono', sex: 'female', birthDate: '1999-04-12', phone: '+237 677 12 34 56', village: 'Bambui' },
      { given: 'Marie', family: 'Ngôno', sex: 'female', birthDate: '2019-08-30', village: 'Finge' },
      { given: 'Paul', family: 'Tchoupo', sex: 'male', birthDate: '1984-01-05', village: 'Bambui' },
    ] as const) {
      await app.registerPatient(patient);
    }
    await app.goTo('#/patients');
    await page.locator('#patient-search').fill('ngono');
    await page.locator('[data-test="patient-row"]').nth(1).waitFor();
    await shoot(page, language, 'patients-search');

    await app.fillRegistration({ given: 'Fatou', family: 'Bih', sex: 'female', birthDate: '2002-11-03', phone: '+237 699 00 11 22', village: 'Bambui' });
    await shoot(page, language, 'registration');

    await app.goTo('#/patients');
    await page.locator('#patient-search').fill('aminata');
    await page.locator('[data-test="patient-row"] a').first().click();
    await context.setOffline(true);
    await app.fillVisit('malaria');
    await shoot(page, language, 'encounter-entry', 1420);
    await app.field('/vitals/temperatureC').fill('50');
    await app.button('Save').click();
    await page.getByRole('alert').first().waitFor();
    await shoot(page, language, 'encounter-errors');
    await app.field('/vitals/temperatureC').fill('38.9');
    await app.save();
    await app.enterVisit('anc');
    // Reloaded offline, the app comes from the service worker's cache and DHIS2's header says offline too.
    await page.reload();
    await app.ready();
    await app.outboxIds();
    // The header's badge follows the platform's own pings to DHIS2, a few seconds behind.
    await page.locator('header').getByText(language === 'fr' ? 'Hors ligne' : 'Offline', { exact: true }).first().waitFor({ timeout: 15_000 });
    await shoot(page, language, 'outbox-offline');

    await context.setOffline(false);
    const ids = await app.outboxIds();
    await stack.settled(ids);
    await app.button('Send and check now').click();
    for (const id of ids) await app.outboxRow(id).getByText(app.words('In DHIS2 and the FHIR record')).waitFor({ timeout: 20_000 });
    await shoot(page, language, 'outbox-delivered');

    await app.setPracticeMode(true);
    await app.fillRegistration({ given: 'Awa', family: 'Exercice', sex: 'female', birthDate: '2000-06-15' });
    await shoot(page, language, 'practice-mode');
  } finally {
    await chromium.close();
    await stack.close();
  }
}

for (const language of LANGUAGES) {
  mkdirSync(`${OUT}${language}`, { recursive: true });
  console.log(`${language}:`);
  await screensIn(language);
}
