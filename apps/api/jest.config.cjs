module.exports = {
  ...require('../../jest.preset.cjs'),
  // A Temporal worker left polling by a failed test would keep jest (and CI) alive after the run:
  // the failure is already reported, so exit once the run and globalTeardown are done.
  forceExit: true,
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
