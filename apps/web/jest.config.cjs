// Unit specs beside the code, and two browser tests on the built app: against a stub of the API
// (e2e/canvas.e2e.spec.ts, every template on the canvas) and against the real stack
// (e2e/stack/: Postgres and Temporal from the global setup, the built API and worker processes,
// the built app behind `vite preview`).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web',
  rootDir: __dirname,
  // Component specs (*.spec.tsx) run in jsdom through their `@jest-environment jsdom` docblock.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx', '<rootDir>/e2e/**/*.spec.ts'],
  testTimeout: 180_000,
  globals: { cairnServices: ['postgres', 'temporal'] },
  globalSetup: '<rootDir>/../../infra/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/../../infra/testing/global-teardown.mjs',
};
