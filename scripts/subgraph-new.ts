// Usage: npm run subgraph:new -- <name> [--vi "Tên cơ quan"] [--en "the agency"] [--port N] [--no-install]
// Scaffolds subgraphs/<name> with the file set every agency has (entities, resolvers, figures,
// writes and mutations, seed, migrations for SQLite and PostgreSQL, operations/, tests) and the
// entries outside it: the list of subgraphs, docker-compose.yml, a role `<name>-officer` with its
// scopes, client `<name>-app`, the root dependency and the typed-client test. Then links the
// workspace (npm install), creates the first migrations, composes the schema and generates the
// client, so that schema:check, typecheck and its tests pass before anyone edits it.
import { spawnSync } from 'node:child_process';
import { helpIfAsked, parseArgsOrFail } from './lib/cli.js';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '@pcmt/kit/subgraph-list';
import { addRootDependency, applyEdits, namesOf, repositoryEdits, subgraphFiles, writeFiles } from './lib/scaffold.js';

helpIfAsked(`
Usage: npm run subgraph:new -- <name> [--vi "Tên cơ quan"] [--en "the agency"] [--port N] [--no-install]
Scaffolds subgraphs/<name> with the file set every agency has (entities, resolvers, figures,
writes and mutations, seed, migrations for SQLite and PostgreSQL, operations/, tests) and the
entries outside it: the list of subgraphs, docker-compose.yml, a role \`<name>-officer\` with its
scopes, client \`<name>-app\`, the root dependency and the typed-client test. Then links the
workspace (npm install), creates the first migrations, composes the schema and generates the
client, so that schema:check, typecheck and its tests pass before anyone edits it.`);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgsOrFail({
  allowPositionals: true,
  options: { vi: { type: 'string' }, en: { type: 'string' }, port: { type: 'string' }, 'no-install': { type: 'boolean', default: false } },
});
const [name] = positionals;
if (!name) {
  console.error('usage: npm run subgraph:new -- <name> [--vi "Tên cơ quan"] [--en "the agency"] [--port N] [--no-install]');
  process.exit(2);
}
if (SUBGRAPHS.some((s) => s.name === name)) {
  console.error(`subgraph:new: ${name} is already in subgraphs/kit/src/subgraph-list.ts`);
  process.exit(1);
}
const port = values.port ? Number(values.port) : Math.max(...SUBGRAPHS.map((s) => s.port)) + 1;
const names = namesOf(name, { vi: values.vi, en: values.en, port });

const files = subgraphFiles(names);
writeFiles(root, files);
for (const d of ['sqlite', 'postgresql']) mkdirSync(join(root, 'subgraphs', name, 'src', 'migrations', d), { recursive: true });
const { changed, missed } = applyEdits(root, repositoryEdits(names));
if (addRootDependency(root, name)) changed.push('package.json');
console.log(`wrote ${files.size} files under subgraphs/${name}/ and test/journeys/${name}.test.ts`);
console.log(`added ${name} to: ${changed.join(', ')}`);
for (const e of missed) console.warn(`  by hand: ${e.file} lost its anchor "${e.anchor.trim()}"; add:\n${e.text}`);

const step = (label: string, cmd: string, args: string[]) => {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`subgraph:new: "${cmd} ${args.join(' ')}" failed; fix it and run the remaining steps by hand (npm install, npm run migration:create -- ${name} init, npm run schema:compose, npm run clients:generate).`);
    process.exit(1);
  }
};
if (!values['no-install']) {
  // Links @pcmt/<name> into node_modules and records the workspace in the lockfile.
  step('link the workspace', 'npm', ['install', '--no-audit', '--no-fund']);
  step('first migrations', 'npm', ['run', '-s', 'migration:create', '--', name, 'init']);
  step('compose the schema', 'npm', ['run', '-s', 'schema:compose']);
  step('typed client', 'npm', ['run', '-s', 'clients:generate']);
}
console.log(`\nNext: npm run typecheck && npm run schema:check, then its tests:
  node --experimental-vm-modules node_modules/jest/bin/jest.js --config jest.config.js --selectProjects ${name}
  node --experimental-vm-modules node_modules/jest/bin/jest.js --config jest.config.js --selectProjects e2e --runTestsByPath test/journeys/${name}.test.ts`);
