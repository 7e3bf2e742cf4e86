import { readdirSync } from 'node:fs';

// One Jest project per workspace (unit tests beside the code) plus `e2e` for test/ (the whole federation).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
    },
    module: { type: 'es6' },
  },
];

const base = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  rootDir: import.meta.dirname,
};

// Every folder under subgraphs/ is a workspace with its own project.
const workspaces = readdirSync(new URL('./subgraphs/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

// The PostgreSQL + Redis run (CI runs it beside the default one) leaves out what does not depend on
// the subgraphs' database engine: the command lines, the schema checks, token and limit checks at the
// gateway, metrics, a hung subgraph. The default run has them; twice would cost CI minutes for nothing.
const ENGINE_FREE = [
  'test/cli.test.ts',
  'test/schema.test.ts',
  'test/observability.test.ts',
  'test/security/authentication.test.ts',
  'test/security/abuse.test.ts',
  'test/resilience/subgraph-hang.test.ts',
];
const onPostgres = !!process.env.PCMT_TEST_POSTGRES_URL;

export default {
  // Global, not per project: hooks that migrate and seed a database take seconds on a busy machine.
  testTimeout: 120_000,
  projects: [
    ...workspaces.map((name) => ({ ...base, displayName: name, testMatch: [`<rootDir>/subgraphs/${name}/src/**/*.test.ts`] })),
    { ...base, displayName: 'gateway', testMatch: ['<rootDir>/gateway/src/**/*.test.ts'] },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      ...(onPostgres ? { testPathIgnorePatterns: ['/node_modules/', ...ENGINE_FREE.map((f) => `<rootDir>/${f}$`)] } : {}),
    },
  ],
};
