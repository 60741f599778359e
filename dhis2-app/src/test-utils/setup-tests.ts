import '@testing-library/jest-dom'
import 'fake-indexeddb/auto'
import { configure } from '@testing-library/react'
// @ts-ignore src/locales is written by `d2-app-scripts i18n generate` (the test script runs it first)
import '../locales/index.js'
import i18n from '@dhis2/d2-i18n'
import { IDBFactory } from 'fake-indexeddb'

// As the platform's adapter does (utils/localeUtils.js): the generated locales use the namespace 'default'.
i18n.setDefaultNamespace('default')

// @dhis2/ui marks its elements with data-test.
configure({ testIdAttribute: 'data-test' })

beforeEach(() => {
    // Every test starts with an empty device: no database, no settings, English.
    globalThis.indexedDB = new IDBFactory()
    localStorage.clear()
    window.location.hash = ''
    void i18n.changeLanguage('en')
})
