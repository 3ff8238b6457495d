module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'db',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globals: { cairnServices: ['postgres'] },
  globalSetup: '<rootDir>/../../infra/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/../../infra/testing/global-teardown.mjs',
};
