// Shared jest settings. ts-jest only transpiles (type checking is each project's `build`/`typecheck`
// target), which keeps the suite fast; workspace packages resolve to their built `dist/` (Nx builds
// them first through `dependsOn: ["^build"]`).
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: require('node:path').join(__dirname, 'tsconfig.spec.json'), diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
