// Type-aware lint for every package (typescript-eslint's project service finds each package's tsconfig.json).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/miniprogram_dist/**',
      '.cache/**',
      '**/node_modules/**',
      'proto/src/generated/**',
      '.data/**',
      'tools/ferretdb/**',
      // Demo mini-programs: the SDK build copied in before uni-app's build, Taro's config cache.
      'demo/miniprogram-uniapp/src/wxcomponents/**',
      'demo/miniprogram-taro/.swc/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'], defaultProject: 'tools/tsconfig.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Mongoose declares SchemaTypeOptions as a class, but its documented API is plain object literals.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // One job per file (STYLE.md): a file past 300 lines is split, not waved through. Generated code is
    // ignored above.
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  {
    // Plain JS config and script files are not part of any TypeScript project.
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    // The demo mini-programs (uni-app, Taro) are npm projects of their own: their framework types live in
    // their own node_modules, installed only by `setup.sh test`, so their sources get syntax-level lint
    // here (Vue SFCs: Prettier only, the root has no Vue parser), and the official CLIs compile them in
    // demo/test/miniprogram. Their shared logic is TypeScript, fully checked (demo/miniprogram-shared).
    files: ['demo/miniprogram-uniapp/**/*.{js,jsx}', 'demo/miniprogram-taro/**/*.{js,jsx}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: {
        // Framework globals: uni-app's `uni`, Taro's compile-time config macros, CommonJS config files.
        uni: 'readonly',
        defineAppConfig: 'readonly',
        definePageConfig: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
