import type { Config } from 'jest';

// One jest run for every workspace. Each workspace is ESM TypeScript: ts-jest in ESM mode, and relative
// imports written with `.js` (as NodeNext requires) mapped back to their `.ts` sources. Workspace packages
// are imported by name and resolve (through node_modules links) to their TypeScript sources.
const esmTypeScript = (displayName: string, rootDir: string, testMatch = ['<rootDir>/test/**/*.test.ts']): NonNullable<Config['projects']>[number] => ({
  displayName,
  rootDir,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testMatch,
});

const config: Config = {
  // Most tests wait on Redis, HTTP and timers more than they compute: two workers on this 2-core machine
  // nearly halve the run (jest's default is cores − 1, one worker here).
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  projects: [
    esmTypeScript('contract', '<rootDir>/packages/contract'),
    esmTypeScript('generator', '<rootDir>/packages/generator'),
    esmTypeScript('stand-ins', '<rootDir>/packages/stand-ins'),
    esmTypeScript('data-quality', '<rootDir>/packages/data-quality'),
    esmTypeScript('middleware', '<rootDir>/middleware'),
    // The built DHIS2 app in Chromium against the stand-ins and the real middleware (e2e/support/).
    esmTypeScript('e2e', '<rootDir>/e2e', ['<rootDir>/*.test.ts']),
  ],
};

export default config;
