/** Jest runs the TypeScript sources as ESM (NODE_OPTIONS=--experimental-vm-modules), transpiled by ts-jest. */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // Type-checking is `tsc --noEmit` in `npm test`; here each file is only transpiled (isolatedModules).
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true, module: 'ESNext', moduleResolution: 'Bundler', verbatimModuleSyntax: false } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/helpers/no-network.ts'],
};

export default {
  // One throw-away PostgreSQL server for the run; TEST_DATABASE_URL reaches every test file.
  globalSetup: '<rootDir>/test/postgres-server.mjs',
  globalTeardown: '<rootDir>/test/postgres-teardown.mjs',
  testTimeout: 60000,
  // The suites run one at a time in a worker process, replaced once it holds this much after a file:
  // run in the main process, what each file leaves behind adds up past the heap's limit.
  workerIdleMemoryLimit: '1536MB',
  projects: [
    { ...base, displayName: 'sqlite' },
    // The HTTP suites that touch storage, again on PostgreSQL (test/helpers/app.ts reads TEST_BACKEND).
    {
      ...base,
      displayName: 'postgres',
      testMatch: ['<rootDir>/test/http/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', 'start\\.test\\.ts$', 'hostile-bodies\\.test\\.ts$', 'postgres\\.test\\.ts$'],
      globals: { TEST_BACKEND: 'postgres' },
    },
  ],
};
