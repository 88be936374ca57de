import { defineConfig } from 'vite';

// A static site: relative base so dist/ works from any static server and sub-path; workers as ES
// modules (tfjs and pikt are ESM); the tfjs .wasm binaries arrive as asset URLs (?url imports).
export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000, reportCompressedSize: false },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
