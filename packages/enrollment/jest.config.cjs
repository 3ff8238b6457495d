module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'enrollment',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 60_000,
  setupFiles: ['<rootDir>/../../infra/testing/temporal-runtime.cjs'],
  globals: { cairnServices: ['postgres', 'temporal'] },
  globalSetup: '<rootDir>/../../infra/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/../../infra/testing/global-teardown.mjs',
};
