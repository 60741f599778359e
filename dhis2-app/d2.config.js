/** @type {import('@dhis2/cli-app-scripts').D2Config} */
const config = {
    type: 'app',
    name: 'smc-clinic',
    title: 'SMC Clinic',
    description:
        'Find or register a patient and record consultations, antenatal visits, deliveries, malaria tests, vaccinations, family planning and referrals, offline first.',
    entryPoints: {
        app: './src/app/app.tsx',
    },
    pwa: {
        enabled: true,
        caching: {
            // Patient lists and encounter states come through the Route; the app keeps its own copy in
            // IndexedDB, so the service worker must not keep a second (stale, unscoped) one.
            patternsToOmitFromAppShell: ['/routes/smc-bridge/'],
        },
    },
    minDHIS2Version: '2.40',
    // The Route smc-bridge is created with the authority M_smcclinic, the one DHIS2 gives this app
    // (App.getSeeAppAuthority: "M_" and the name without its hyphen).
    dataStoreNamespace: 'smc-clinic',
    viteConfigExtensions: './vite.config.mts',
}

module.exports = config
