// jest runs in ESM mode: @kubernetes/client-node 1.x is ESM-only (see stack notes).
// Type checking is `npm run typecheck`; the transform only strips types.
const esmTypeScript = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true, diagnostics: false }],
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/setup/console.ts'],
};

/** @type {import('jest').Config} */
export default {
  // Integration tests wait on real state in a real control plane. jest reads testTimeout only at
  // the top level, not per project.
  testTimeout: 120_000,
  projects: [
    {
      ...esmTypeScript,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      ...esmTypeScript,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
};
