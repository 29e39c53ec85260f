// Lint and layer rules. The layer direction (ARCHITECTURE.md): core ← platform ← server / cli / client;
// emulator → core, platform's wire types only; protocol/ is imported by server and client alike.
// A forbidden import is an error here, so the layering cannot drift silently.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layer = (files, forbidden, extra = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((dir) => ({
            regex: `^(\\.\\./)+${dir}(/|$)`,
            message: `this layer may not import ${dir}/ (see ARCHITECTURE.md)`,
          })),
          ...extra,
        ],
      },
    ],
  },
});
const nodeBuiltins = {
  group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'worker_threads'],
  message: 'core is pure: no I/O (inject it from the caller)',
};
const vscodeApi = { group: ['vscode'], message: 'only client/ may import vscode' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.callflow/**', 'test/fixtures/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
      // The protocol module declares requests as namespaces, as vscode-languageserver-protocol does.
      '@typescript-eslint/no-namespace': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  layer(['core/**/*.ts'], ['platform', 'server', 'client', 'cli', 'emulator', 'protocol'], [nodeBuiltins, vscodeApi]),
  layer(['platform/**/*.ts'], ['server', 'client', 'cli', 'emulator'], [vscodeApi]),
  layer(['server/**/*.ts'], ['client', 'cli', 'emulator'], [vscodeApi]),
  layer(['cli/**/*.ts'], ['server', 'client'], [vscodeApi]),
  layer(['emulator/**/*.ts'], ['server', 'client', 'cli'], [vscodeApi]),
  layer(['protocol/**/*.ts'], ['platform', 'server', 'client', 'cli', 'emulator'], [vscodeApi]),
  layer(['client/**/*.ts'], ['server', 'cli', 'emulator'], []),
  {
    files: ['client/preview/webview.ts', 'client/preview/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
