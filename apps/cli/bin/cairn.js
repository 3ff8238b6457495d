#!/usr/bin/env node
// The `cairn` command. The CLI is TypeScript built to dist/ (`npx nx run cli:build`; `npm start`
// and `npm test` build it too).
try {
  require('../dist/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    console.error('cairn is not built yet: run `npx nx run cli:build` first.');
    process.exit(2);
  }
  throw error;
}
