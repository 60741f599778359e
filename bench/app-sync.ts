// How long the clinicians' app takes to sync 100 waiting encounters over a 64 kbit/s link (goal < 20 s):
// `npx tsx bench/app-sync.ts [encounters]` (builds the app first when dhis2-app/build is missing).
//
// The built app in Debian's Chromium, against the DHIS2 stand-in (the app, the login, the Route's run
// proxy), the real middleware on the local Redis (its own key prefix, removed afterwards) and the FHIR
// stand-in: the stack of the browser test (e2e/support/). A clinician enters the encounters offline through
// the app's screens (ten patients, consultations, malaria tests and antenatal visits in turn); then the link
// comes back as 64 kbit/s each way with 300 ms of latency (Chromium's Network.emulateNetworkConditions on
// the page), and the clock runs until the Outbox has nothing waiting (every encounter answered by the
// middleware), then until the middleware has delivered every one to DHIS2 and to the FHIR server.
import type { Request } from 'playwright-core';
import { launchChromium } from '../e2e/support/chromium.js';
import { ClinicApp, type Visit } from '../e2e/support/clinic-app.js';
import { startClinicianStack } from '../e2e/support/clinician-stack.js';

const ENCOUNTERS = Number(process.argv[2] ?? 100);
const PER_PATIENT = 10;
const LINK_BITS_PER_SECOND = 64_000;
const LATENCY_MS = 300;
const VISITS: readonly Visit[] = ['consultation', 'malaria', 'anc'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const stack = await startClinicianStack({ label: 'app-sync', syncSettings: { syncIntervalSeconds: 5, statusPollSeconds: 30 } });
const chromium = await launchChromium();
try {
  const { context } = chromium;
  const page = await context.newPage();
  const app = new ClinicApp(page);
  await app.signIn(stack.appUrl, stack.clinician);
  await app.chooseFacilityIfAsked('CSI Bambui');
  await app.readyForOffline();

  // Offline, then 64 kbit/s, by Chromium's network emulation on the page, through one DevTools session (the
  // one playwright's setOffline uses would compete with it).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const link = { latency: LATENCY_MS, downloadThroughput: LINK_BITS_PER_SECOND / 8, uploadThroughput: LINK_BITS_PER_SECOND / 8 };
  await cdp.send('Network.emulateNetworkConditions', { offline: true, ...link });
  const entryStarted = Date.now();
  for (let entered = 0; entered < ENCOUNTERS; entered++) {
    if (entered % PER_PATIENT === 0) {
      const number = entered / PER_PATIENT + 1;
      await app.registerPatient({ given: `Patiente ${number}`, family: 'Bench', sex: 'female', birthDate: `${1990 + (number % 10)}-03-1${number % 10}` });
    }
    await app.enterVisit(VISITS[entered % VISITS.length] as Visit);
  }
  const ids = await app.outboxIds();
  if (ids.length !== ENCOUNTERS) throw new Error(`the outbox holds ${ids.length} encounters, not ${ENCOUNTERS}`);
  console.log(`${ENCOUNTERS} encounters entered offline through the app in ${seconds(Date.now() - entryStarted)}; the Outbox shows ${ids.length} waiting`);

  // What goes up and down the Route while syncing: request bodies as sent (gzipped) and answers as received.
  const routeTraffic = { requests: 0, bodyBytes: 0, answerBytes: 0 };
  const routeRequests: Request[] = [];
  page.on('request', (request) => {
    if (!request.url().includes('/routes/smc-bridge/run/')) return;
    routeTraffic.requests += 1;
    routeTraffic.bodyBytes += request.postDataBuffer()?.length ?? 0;
    routeRequests.push(request);
  });

  if ((await stack.held(ids[0] as string)) !== undefined) throw new Error('an encounter reached the middleware while offline');
  const started = Date.now();
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...link });
  // The Outbox link reads "Outbox" alone once nothing waits (pending or sending).
  await page.locator('nav a[href="#/outbox"]').filter({ hasText: /^Outbox$/ }).waitFor({ timeout: 120_000 });
  const sentMs = Date.now() - started;
  await stack.settled(ids, { timeoutMs: 120_000 });
  const deliveredMs = Date.now() - started;

  for (const request of routeRequests) {
    const sizes = await request.sizes().catch(() => undefined);
    if (sizes) routeTraffic.answerBytes += sizes.responseBodySize + sizes.responseHeadersSize;
  }
  const held = await Promise.all(ids.map((id) => stack.held(id)));
  const encounters = held.map((entry) => entry?.encounter).filter((encounter) => encounter !== undefined);
  const exact = encounters.length === ENCOUNTERS && JSON.stringify([...stack.dhis2Values()].sort()) === JSON.stringify([...stack.expectedValues(encounters)].sort());

  console.log(`link: ${LINK_BITS_PER_SECOND / 1000} kbit/s up and down, ${LATENCY_MS} ms latency (Chromium network emulation)`);
  console.log(`  all ${ENCOUNTERS} sent (the Outbox has nothing waiting): ${seconds(sentMs)} (goal < 20 s)`);
  console.log(`  all delivered to DHIS2 and the FHIR server:        ${seconds(deliveredMs)}`);
  console.log(
    `  Route traffic while syncing: ${routeTraffic.requests} requests, ${(routeTraffic.bodyBytes / 1024).toFixed(1)} KB of request bodies ` +
      `(${Math.round(routeTraffic.bodyBytes / ENCOUNTERS)} bytes per encounter), ${(routeTraffic.answerBytes / 1024).toFixed(1)} KB of answers`,
  );
  console.log(`  the middleware holds all ${encounters.length}; DHIS2's values equal a recomputation from them: ${exact ? 'yes' : 'NO'}`);
  if (!exact || sentMs >= 20_000) process.exitCode = 1;
} finally {
  await chromium.close();
  await stack.close();
}
