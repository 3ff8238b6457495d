// The browser test against the real stack: Postgres and Temporal (global setup), the built API and
// worker, the built web app behind `vite preview`. `nx run web:e2e-stack`.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web-stack',
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/stack/*.spec.ts'],
  testTimeout: 180_000,
  globals: { cairnServices: ['postgres', 'temporal'] },
  globalSetup: '<rootDir>/../../infra/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/../../infra/testing/global-teardown.mjs',
};
