module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/e2e/**/*.spec.ts'],
  // The browser test starts the real stack (Postgres, Temporal, API, worker) and Chromium.
  testTimeout: 180_000,
  globals: { cairnServices: ['postgres', 'temporal'] },
  globalSetup: '<rootDir>/../../infra/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/../../infra/testing/global-teardown.mjs',
};
