const nx = require('@nx/eslint-plugin');

// Node built-ins are non-deterministic or do I/O: workflow code must never import them.
const nodeBuiltins = require('node:module').builtinModules.flatMap((m) => [m, `node:${m}`]);

module.exports = [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.nx/**', '**/vite.config.*'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // The pure core (playbook language, API contracts): no I/O, usable everywhere.
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
            // Workflow code runs in Temporal's deterministic sandbox: only pure packages.
            { sourceTag: 'type:workflow', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:core'] },
            // Server-side services shared by the apps (enrollment): data, workflow definitions, core.
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:core', 'type:data', 'type:workflow'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:data', 'type:workflow', 'type:service'] },
            // The browser app sees shared code only, never server internals.
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: do I/O in an activity.' })) }],
    },
  },
];
