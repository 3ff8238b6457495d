import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = { '/api': { target: process.env.API_URL ?? 'http://127.0.0.1:3000', changeOrigin: true } };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // The shared packages are CommonJS builds linked by npm workspaces; pre-bundle them for dev.
  optimizeDeps: { include: ['@cairn/playbook', '@cairn/contracts'] },
  build: { outDir: 'dist', emptyOutDir: true, commonjsOptions: { include: [/packages\//, /node_modules/] } },
  server: { port: Number(process.env.WEB_PORT ?? 5173), proxy: api },
  preview: { port: Number(process.env.WEB_PORT ?? 5173), proxy: api },
});
