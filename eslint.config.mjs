// @ts-check
import tseslint from 'typescript-eslint';

const providerRoots = ['cloudflare', 'kubernetes', 'okta', 'vault'].map((p) => ({
  name: `@cdktf/provider-${p}`,
  message: `Import the resource module (@cdktf/provider-${p}/lib/<resource>): the package root loads every provider class (1.4 s, 420 MB).`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'cdktf.out/**', 'node_modules/**', 'coverage/**', '.gen/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: providerRoots,
          patterns: [{ regex: '^@cdktf/provider-[a-z-]+/?$', message: 'Import /lib/<resource>, never a provider package root.' }],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // The bench's child processes and the jest config are plain CommonJS scripts.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Framework imports pass through lib/core/cdktf.ts, so that a move to the CDK Terrain fork is one file.
    files: ['lib/**/*.ts'],
    ignores: ['lib/core/cdktf.ts', 'lib/core/cdktf-performance.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...providerRoots,
            { name: 'cdktf', message: 'Import the framework through lib/core/cdktf.' },
            { name: 'constructs', message: 'Import the framework through lib/core/cdktf.' },
          ],
          patterns: [{ regex: '^@cdktf/provider-[a-z-]+/?$', message: 'Import /lib/<resource>, never a provider package root.' }],
        },
      ],
    },
  },
);
