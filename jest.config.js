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

export default {
  // Global, not per project: hooks that migrate and seed a database take seconds on a busy machine.
  testTimeout: 120_000,
  projects: [
    ...workspaces.map((name) => ({ ...base, displayName: name, testMatch: [`<rootDir>/subgraphs/${name}/src/**/*.test.ts`] })),
    { ...base, displayName: 'gateway', testMatch: ['<rootDir>/gateway/src/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.test.ts'] },
  ],
};
