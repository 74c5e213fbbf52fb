// The layering of DESIGN.md §2, enforced: each layer may import only downward.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const restrict = (patterns, message) => ({ group: patterns, message });

const DB_LIBS = ['pg', 'pg/*', '@supabase/*', '@electric-sql/*'];
const NODE = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'net', 'crypto'];

/** [files, forbidden import groups] for every layer. */
const layers = [
  ['src/shared/**', [
    restrict(['**/core/**', '**/db/**', '**/cache/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', '**/cli/**'], 'shared/ imports nothing of ours'),
    restrict(NODE, 'shared/ is pure: no I/O'),
  ]],
  ['src/core/**', [
    restrict(['**/db/**', '**/cache/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', '**/cli/**'], 'core/ imports shared/ and its own ports only'),
  ]],
  ['src/db/**', [
    restrict(['**/cache/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', '**/cli/**'], 'db/ implements core ports; it sits below the hosts'),
  ]],
  ['src/cache/**', [
    restrict(['**/db/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', '**/cli/**'], 'cache/ implements core ports; it sits below the hosts'),
  ]],
  ['src/renderer/**', [
    restrict(['**/core/**', '**/db/**', '**/cache/**', '**/main/**', '**/preload/**', '**/server/**', '**/cli/**'], 'renderer/ imports shared/ only and talks through window.desk'),
    restrict(NODE, 'renderer/ never imports Node'),
  ]],
  ['src/preload/**', [
    restrict(['**/core/**', '**/db/**', '**/cache/**', '**/main/**', '**/renderer/**', '**/server/**', '**/cli/**'], 'preload/ only bridges IPC'),
  ]],
  ['src/server/**', [restrict(['**/main/**', '**/preload/**', '**/renderer/**'], 'server/ is the Node host')]],
  ['src/main/**', [restrict(['**/server/**', '**/renderer/**', '**/preload/**', '**/cli/**'], 'main/ is the Electron host')]],
  ['src/cli/**', [restrict(['**/main/**', '**/preload/**', '**/renderer/**'], 'cli/ runs in Node')]],
];

/** Third-party packages that belong to one layer only. */
const packageOwners = [
  [['electron'], ['src/main/**', 'src/preload/**'], 'only main/ and preload/ import electron'],
  [DB_LIBS, ['src/db/**'], 'only db/ imports pg, PGlite and supabase-js'],
  [['better-sqlite3'], ['src/cache/**'], 'only cache/ imports better-sqlite3'],
];

function rulesFor(file) {
  const groups = [...(layers.find(([f]) => f === file)?.[1] ?? [])];
  for (const [pkgs, owners, message] of packageOwners) {
    if (!owners.includes(file)) groups.push(restrict(pkgs, message));
  }
  return { 'no-restricted-imports': ['error', { patterns: groups }] };
}

const layerFiles = [...layers.map(([f]) => f)];

/**
 * The renderer's startup bundle stays free of zod: it may take only types from
 * the schema modules; values come from shared/values and shared/desk-error.
 */
const ZOD_MODULES = ['**/shared/contract', '**/shared/domain', '**/shared/errors', '**/shared/wire', '**/shared/api/*', 'zod'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/fixtures/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...layerFiles.map((files) => ({ files: [files.replace('/**', '/**/*.{ts,tsx}')], rules: rulesFor(files) })),
  // Anything outside src/ (tests, benches, scripts) may not reach into electron either: it cannot run here.
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [restrict(['electron'], 'the Electron binary cannot run here: test the shell through its pure functions')] }] },
  },
  { files: ['src/renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ZOD_MODULES, allowTypeImports: true, message: 'renderer: import only types from the zod schema modules (values from shared/values, shared/desk-error)' }],
      }],
    },
  },
);
export { layers, packageOwners };
