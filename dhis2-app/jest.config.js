// Jest 27, run by `d2-app-scripts test`, which merges this file over its defaults one key deep: the
// defaults' moduleNameMapper (CSS, files) is repeated here with the mappings the workspace needs.
const path = require('path')

const platformDefaults = require(path.join(path.dirname(require.resolve('@dhis2/cli-app-scripts')), '../config/jest.config.js'))

module.exports = {
    testEnvironment: '<rootDir>/src/test-utils/jsdom-environment.js',
    setupFilesAfterEnv: ['<rootDir>/src/test-utils/setup-tests.ts'],
    // Typing whole forms through user-event is slow on a busy 2-core machine.
    testTimeout: 30000,
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.d2/', '<rootDir>/build/'],
    moduleNameMapper: {
        ...platformDefaults.moduleNameMapper,
        // The contract is a workspace of TypeScript sources exported by "exports" only, which jest 27 does
        // not read; its relative imports are written with .js (NodeNext style) for files that are .ts.
        '^@smc-bridge/contract$': '<rootDir>/../packages/contract/src/index.ts',
        '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    // The contract resolves to packages/contract (outside node_modules), so babel transforms its TypeScript.
    transformIgnorePatterns: platformDefaults.transformIgnorePatterns,
}
