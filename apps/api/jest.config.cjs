module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The integration test drives a real run through Temporal, Postgres, the worker and SMTP.
  testTimeout: 180_000,
  setupFiles: ['<rootDir>/../../infra/testing/temporal-runtime.cjs'],
  globals: { cairnServices: ['postgres', 'temporal'] },
  globalSetup: '<rootDir>/../../infra/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/../../infra/testing/global-teardown.mjs',
};
