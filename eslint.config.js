import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**', 'bin/**', 'src/main/**', 'src/preload/**', 'test/**', 'bench/**', '*.config.*'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The layering rules of DESIGN.md, enforced: the engine never imports electron, the
    // renderer never imports Node, the shared contract imports neither.
    files: ['src/main/engine/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/electron/**', '**/transport/**'] }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['node:*', '**/main/**', '**/renderer/**'] }],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['node:*', '**/main/**'] }],
    },
  },
);
