import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// The layers of STYLE.md: each tag names what it may import. A forbidden import fails lint.
const LAYERS = ['type:core', 'type:platform', 'type:adapter', 'type:domain', 'type:app'];
const except = (...allowed) => LAYERS.filter((tag) => !allowed.includes(tag));

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/node_modules', '**/dist', '**/coverage', '.nx', '.zen', 'tmp'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:core', notDependOnLibsWithTags: LAYERS },
            { sourceTag: 'type:platform', notDependOnLibsWithTags: LAYERS },
            { sourceTag: 'type:adapter', notDependOnLibsWithTags: except('type:core', 'type:platform') },
            {
              sourceTag: 'type:domain',
              notDependOnLibsWithTags: except('type:core', 'type:platform', 'type:adapter', 'type:domain'),
            },
            { sourceTag: 'domain:ca', notDependOnLibsWithTags: ['domain:audit'] },
            { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:app', 'type:e2e'] },
            { sourceTag: 'type:e2e', notDependOnLibsWithTags: ['type:e2e'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The testing entry points serve specs and test/ only, never production code.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing.ts', '**/testing/**', 'test/**', 'tools/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@zen/*/testing'], message: 'testing entries are for specs' }] },
      ],
    },
  },
];
