module.exports = {
  ...require('../jest.preset.cjs'),
  // A Temporal worker left polling by a failed test would keep jest (and CI) alive after the run:
  // the failure is already reported, so exit once the run and globalTeardown are done.
  forceExit: true,
  displayName: 'workflows',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // Workflow tests start Temporal's time-skipping test server (a JVM) and bundle workflow code.
  testTimeout: 120_000,
  setupFiles: ['<rootDir>/../infra/testing/temporal-runtime.cjs'],
  globals: { cairnServices: ['test-server'] },
  globalSetup: '<rootDir>/../infra/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/../infra/testing/global-teardown.mjs',
};
