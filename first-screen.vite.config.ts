import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

/**
 * The console's first screen for the browser host (src/renderer/first-screen.tsx),
 * built for Node with everything it uses inside: the same components, on the same
 * Preact runtime, as the page's bundle. `desk serve` loads out/first-screen/.
 */
export default defineConfig({
  plugins: [preact()],
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: resolve(import.meta.dirname, 'src/renderer/first-screen.tsx'),
    outDir: resolve(import.meta.dirname, 'out/first-screen'),
    emptyOutDir: true,
    target: 'node20',
    // One file: the lazy parts (dialogs, the open conversation) never render in a first screen.
    rollupOptions: { output: { format: 'es', entryFileNames: 'first-screen.js', codeSplitting: false } },
  },
});
