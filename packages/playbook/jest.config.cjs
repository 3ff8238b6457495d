module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'playbook',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
