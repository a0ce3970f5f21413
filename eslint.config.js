// Lint rules that keep the runtimes apart (ENGINEERING.md: the folder says the runtime).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const nodeOnly = ['electron', 'electron/*', 'better-sqlite3', 'node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.lcr/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // No import cycles: a domain's types live with the domain and the contract only refers to
    // them, so a module can be read (and moved) without the half of the app that imports it back.
    // Files over ~400 lines and functions over ~80 are where code stops being easy to enter.
    files: ['electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'shared/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // shared/ runs in the renderer, the core and the tests alike: no Node, no Electron, no SQLite.
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: nodeOnly, message: 'shared/ is pure: no electron, node:* or better-sqlite3 here.' }] }],
    },
  },
  {
    // The renderer never reaches into the Electron or core side; it talks through shared/contract.ts.
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeOnly, message: 'renderer/ runs in a sandboxed page: no electron, node:* or better-sqlite3.' },
            { group: ['**/electron/**', '../electron/*', '../../electron/*'], message: 'renderer/ must not import electron/ code; use shared/contract.ts.' },
          ],
        },
      ],
    },
  },
  {
    // The core runs outside Electron too (browser mode, CLI, tests): it must not import electron.
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron/core/ is plain Node: one core, three hosts.' }] }],
    },
  },
);
