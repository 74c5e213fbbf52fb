import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';

/** The main bundle runs the migrations; ship the SQL files beside it (src/db/migrate.ts reads ./migrations). */
function copyMigrations(): Plugin {
  const dir = resolve(__dirname, 'src/db/migrations');
  return {
    name: 'desk-copy-migrations',
    generateBundle() {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
        this.emitFile({ type: 'asset', fileName: `migrations/${file}`, source: readFileSync(resolve(dir, file), 'utf8') });
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyMigrations()],
  },
  preload: {
    // A sandboxed preload cannot require() anything but electron: bundle it whole, as CommonJS.
    build: { externalizeDeps: false, isolatedEntries: true, rollupOptions: { output: { format: 'cjs' } } },
  },
  renderer: {
    // The console is written against React's API and type-checked with React's types, but runs on
    // Preact through its compatibility layer (the preset aliases react and react-dom, and gives dev
    // mode Preact's hot refresh): react-dom was 130 of the 290 kB a console start compiled, and a
    // fresh browser's first load spent 200-300 ms more compiling and rendering with it
    // (bench/console-render.bench.ts). The end-to-end tests run this bundle.
    plugins: [preact()],
    // electron-vite leaves the renderer unminified: parsing the bundle was most of the console's first render.
    build: { sourcemap: true, minify: true },
  },
});
