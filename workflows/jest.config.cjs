module.exports = {
  ...require('../jest.preset.cjs'),
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
