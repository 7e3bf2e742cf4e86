import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';

// Every command a person runs answers --help with its usage, and a mistake with one line, no stack trace.
const run = (script: string, args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('node_modules/.bin/node', ['--import', '@swc-node/register/esm-register', `scripts/${script}`, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

const COMMANDS: Array<[string, string[], RegExp]> = [
  ['import.ts', [], /npm run import --/],
  ['tokens.ts', [], /npm run tokens --/],
  ['registry.ts', ['operations-list'], /npm run operations:check/],
  ['schema.ts', [], /npm run schema:compose/],
  ['audit-verify.ts', [], /npm run audit:verify/],
  ['start.ts', [], /npm start/],
  ['seed.ts', [], /npm run seed --/],
  ['bench.ts', [], /npm run bench --/],
  ['bench-fair-share.ts', [], /npm run bench:fair-share/],
  ['bench-peers.ts', [], /npm run bench:peers/],
  ['subgraph-new.ts', [], /npm run subgraph:new/],
  ['prod-check.ts', [], /npm run prod:check/],
  ['codegen.ts', [], /npm run clients:generate/],
  ['migration-create.ts', [], /npm run migration:create/],
  ['boundaries.ts', [], /npm run boundaries --/],
];

describe('command lines', () => {
  test.concurrent.each(COMMANDS)('%s --help prints its usage and exits 0', async (script, before, usage) => {
    const r = await run(script, [...before, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(usage);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test.concurrent.each([
    ['import.ts', ['legal-aid', 'x.csv', '--no-such-option'], 3],
    ['tokens.ts', ['--no-such-option'], 2],
    ['tokens.ts', ['--role', 'nobody'], 2],
    ['registry.ts', ['operations-list', '--no-such-option'], 2],
    ['seed.ts', ['--scale', 'lots'], 2],
    ['seed.ts', ['--no-such-option'], 2],
    ['bench.ts', ['--no-such-option'], 2],
    ['bench-peers.ts', ['--provinces', 'demo'], 2],
    ['boundaries.ts', ['import', '04'], 3],
    ['boundaries.ts', ['generate', '4'], 3],
  ] as Array<[string, string[], number]>)('%s %j: one line, no stack trace', async (script, args, code) => {
    const r = await run(script, args);
    expect(r.status).toBe(code);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
