// Shared jest settings. ts-jest only transpiles (type checking is each project's `build`/`typecheck`
// target), which keeps the suite fast; workspace packages resolve to their built `dist/` (Nx builds
// them first through `dependsOn: ["^build"]`).
// Each test target writes its results as JSON here (--outputFile); `npm test` sums them up.
require('node:fs').mkdirSync(require('node:path').join(__dirname, 'tmp', 'test-results'), { recursive: true });

module.exports = {
  testEnvironment: 'node',
  // Per checkout, so a fresh clone never reuses transforms cached by another one.
  cacheDirectory: require('node:path').join(__dirname, 'node_modules', '.cache', 'jest'),
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: require('node:path').join(__dirname, 'tsconfig.spec.json'), diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
