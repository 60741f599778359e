import type { Config } from 'jest';

// One jest run for every workspace. The middleware and the packages are ESM TypeScript: ts-jest in ESM
// mode, and relative imports written with `.js` (as NodeNext requires) mapped back to their `.ts` sources.
const config: Config = {
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  projects: [
    {
      displayName: 'middleware',
      rootDir: '<rootDir>/middleware',
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
      transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
    {
      displayName: 'data-quality',
      rootDir: '<rootDir>/packages/data-quality',
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
      transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  ],
};

export default config;
