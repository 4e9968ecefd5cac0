// ESLint flat config. The domain and risk layers must stay pure (DESIGN §1):
// no wall clock, no randomness, no Node built-ins.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const impurity = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https'],
          message: 'src/domain and src/risk are pure: no I/O imports.',
        },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: 'No wall clock in pure code: take `now` as an argument.',
    },
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'No wall clock in pure code: take `now` as an argument.',
    },
    {
      selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
      message: 'No randomness in pure code: inject a seeded source.',
    },
    {
      selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
      message: 'No wall clock in pure code.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'web/dist/**', 'bench/results/**', 'data/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'test', property: 'only' },
        { object: 'describe', property: 'only' },
        { object: 'it', property: 'only' },
      ],
    },
  },
  { files: ['src/domain/**/*.ts', 'src/risk/**/*.ts'], ignores: ['**/*.test.ts'], rules: impurity },
  // The engine may use Node built-ins (hashing) but never the wall clock or randomness.
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': impurity['no-restricted-syntax'] },
  },
);
