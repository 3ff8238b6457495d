// Unit specs beside the code, and the browser test against the built app and a stub of the API
// (e2e/canvas.e2e.spec.ts; it needs `web:build`, which `web:test` depends on). The browser test
// against the real stack lives in e2e/stack/ and runs with `nx run web:e2e-stack`.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/e2e/*.spec.ts'],
  testTimeout: 60_000,
};
