import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `.mts` so the config is an ES module in this CommonJS workspace (infra/start.mjs runs it by name).
// The API and its docs (/docs, /docs-json) are reachable from the web's port too.
const apiTarget = { target: process.env.API_URL ?? 'http://127.0.0.1:3000', changeOrigin: true };
const api = { '/api': apiTarget, '/docs': apiTarget };
const packageSource = (name: string) => fileURLToPath(new URL(`../../packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    // The shared packages are pure TypeScript (type:core). Their `dist/` is CommonJS, which drags
    // zod in as CommonJS too: a second, untreeshakable copy of zod with all its locales (1 MB bundle).
    // Bundling their ES sources instead halves the bundle, and the dev server hot-reloads them.
    // Types still come from their built `dist/*.d.ts` (`tsc -p apps/web/tsconfig.json`, after ^build).
    alias: [
      { find: /^@cairn\/playbook$/, replacement: packageSource('playbook') },
      { find: /^@cairn\/contracts$/, replacement: packageSource('contracts') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true },
  server: { port: Number(process.env.WEB_PORT ?? 5173), proxy: api },
  preview: { port: Number(process.env.WEB_PORT ?? 5173), proxy: api },
});
