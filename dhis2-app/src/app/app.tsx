// The entry point the App Platform renders (d2.config.js entryPoints.app), inside its own providers
// (data engine, config, alerts, offline). The translations are generated from i18n/*.po by the build.
// @ts-ignore src/locales is written by `d2-app-scripts i18n generate`
import '../locales/index.js'
import React from 'react'
import { ClinicApp } from './clinic-app'
import { ClinicProvider } from './clinic-provider'

const App = () => (
    <ClinicProvider>
        <ClinicApp />
    </ClinicProvider>
)

export default App
