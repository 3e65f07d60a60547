/**
 * Builds the two pages of the web UI into web/dist: the public map (index.html) and the staff console
 * (console/index.html). Hashed files land in dist/assets, which the Node server caches immutably.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: process.env.JANGKAU_WEB_SOURCEMAP === '1',
    minify: process.env.JANGKAU_WEB_SOURCEMAP !== '1',
    // The polyfill would be the only script outside our bundles; every browser we serve supports modulepreload.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        index: resolve(root, 'index.html'),
        console: resolve(root, 'console/index.html'),
      },
    },
  },
});
