import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince, subgraphSdl, type SubgraphDefinition } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, usingPostgres, type TestSubgraph } from '@pcmt/kit/testing';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeSubgraphProblems, readCompose } from '../scripts/lib/compose.js';
import { createMigrations } from '../scripts/lib/migrations.js';
import { addRootDependency, AGENCY_FILES, applyEdits, namesOf, repositoryEdits, subgraphFiles, writeFiles } from '../scripts/lib/scaffold.js';
import { compose, droppedEntities, printAll, ROOT } from '../scripts/lib/schema.js';
import { SUBGRAPHS } from '../scripts/lib/subgraphs.js';

// `npm run subgraph:new` checked the cheap way: its edits on copies of the files it touches, and the
// subgraph it writes, loaded from a scratch folder in the repository (so @pcmt/kit resolves), given
// its first migrations, composed with the others and served on a fresh database.

const names = namesOf('coast-guard', { vi: 'Cảnh sát biển', en: 'the Coast Guard', port: 4099 });
const EXTENDS = ['Person', 'Commune', 'DrugCase', 'CommunePeriod', 'ProvincePeriod'];

describe('subgraph:new, outside the new folder', () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'pcmt-scaffold-'));
    for (const file of [...new Set(repositoryEdits(names).map((e) => e.file)), 'package.json']) {
      mkdirSync(join(copy, file, '..'), { recursive: true });
      cpSync(join(ROOT, file), join(copy, file));
    }
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  test('adds the list entry, the compose service, the role, the client and the dependency; a second run changes nothing', () => {
    const first = applyEdits(copy, repositoryEdits(names));
    expect(first.missed).toEqual([]);
    expect(first.changed.sort()).toEqual(['Dockerfile', 'docker-compose.yml', 'gateway/src/registry/shipped.ts', 'gateway/src/roles.ts', 'subgraphs/kit/src/subgraph-list.ts', 'test/clients.test.ts']);
    expect(addRootDependency(copy, 'coast-guard')).toBe(true);
    const again = applyEdits(copy, repositoryEdits(names));
    expect(again.changed).toEqual([]);
    expect(addRootDependency(copy, 'coast-guard')).toBe(false);

    const composeFile = readCompose(readFileSync(join(copy, 'docker-compose.yml'), 'utf8'), { POSTGRES_PASSWORD: 'x' });
    expect(composeSubgraphProblems(composeFile, [...SUBGRAPHS, { name: 'coast-guard', port: 4099 }])).toEqual([]);
    const roles = readFileSync(join(copy, 'gateway/src/roles.ts'), 'utf8');
    expect(roles).toContain("'coast-guard-officer': ['reference:read', 'person:identity', 'coast-guard:read', 'coast-guard:write'],");
    expect(roles).toContain("'coast-guard-officer': 'coast-guard',");
    expect(roles).toContain("'coast-guard-officer': 'coast-guard-app',");
    expect(readFileSync(join(copy, 'subgraphs/kit/src/subgraph-list.ts'), 'utf8')).toContain("{ name: 'coast-guard', port: 4099, agency: { vi: 'Cảnh sát biển', en: 'the Coast Guard' }");
    expect(JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')).dependencies['@pcmt/coast-guard']).toBe('*');
    expect(readFileSync(join(copy, 'Dockerfile'), 'utf8')).toMatch(/COPY subgraphs\/coast-guard\/package.json subgraphs\/coast-guard\/\nRUN npm ci/);
  });
});

describe('subgraph:new, the new subgraph', () => {
  const scratch = join(ROOT, `.scaffold-check-${process.pid}`);
  const dir = join(scratch, 'subgraphs', 'coast-guard');
  let def: SubgraphDefinition;
  let served: TestSubgraph | undefined;
  const province = syntheticProvince({ seed: 3, scale: 0.05 });

  beforeAll(async () => {
    // Its tests are left out: the scratch folder must never hold a test file another run could pick up.
    const files = new Map([...subgraphFiles(names)].filter(([path]) => path.startsWith('subgraphs/') && !path.endsWith('.test.ts')));
    writeFiles(scratch, files);
    for (const d of ['sqlite', 'postgresql']) mkdirSync(join(dir, 'src', 'migrations', d), { recursive: true });
    // The first migrations from the entities alone, as `npm run migration:create` would write them.
    const { entities } = await import(join(dir, 'src', 'entities.ts'));
    await createMigrations({ name: 'coast-guard', entities, resolvers: [], migrations: { sqlite: [], postgresql: [] } } as unknown as SubgraphDefinition, join(dir, 'src', 'migrations'), {
      label: 'init',
      dialects: usingPostgres() ? ['sqlite', 'postgresql'] : ['sqlite'],
      server: process.env.PCMT_TEST_POSTGRES_URL,
      log: () => undefined,
    });
    def = (await import(join(dir, 'src', 'index.ts'))).default;
  });

  afterAll(async () => {
    await served?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('has the file set of every agency, and its schema keeps the entities it extends and composes with the graph', async () => {
    const set = [...subgraphFiles(names).keys()].filter((p) => p.startsWith('subgraphs/')).map((p) => p.replace('subgraphs/coast-guard/', '').replace('coast-guard', 'NAME'));
    expect(set.sort()).toEqual(
      ['operations/NAME.graphql', 'package.json', 'tsconfig.json', 'src/NAME.test.ts', 'src/entities.ts', 'src/figures.ts', 'src/importers.ts', 'src/index.ts', 'src/inputs.ts', 'src/main.ts', 'src/migrations/index.ts', 'src/mutations.ts', 'src/resolvers/index.ts', 'src/seed.ts', 'src/writes.test.ts', 'src/writes.ts'].sort(),
    );
    // Every part of the agencies' common file set is written (a folder by a file inside it).
    expect(AGENCY_FILES.filter((f) => !set.some((p) => (f.endsWith('/') ? p.startsWith(f) : p === f)))).toEqual([]);
    const sdl = await subgraphSdl(def);
    expect(droppedEntities('coast-guard', sdl, EXTENDS)).toEqual([]);
    const all = await printAll();
    all.set('coast-guard', sdl);
    expect(compose(all).errors).toEqual([]);
  });

  test('migrates, seeds and answers its register, its figures and its write', async () => {
    served = await startTestSubgraph(def, province);
    const list = await postGraphql(served.url, '{ coastGuardRecords(first: 500) { totalCount items { id person { citizenId } drugCase { id } } } }');
    expect(list.errors).toBeUndefined();
    expect(list.data.coastGuardRecords.totalCount).toBe(province.cases.filter((_, i) => i % 4 === 0).length);
    const c = province.cases[0];
    const figure = await postGraphql(served.url, `{ _entities(representations: [{ __typename: "ProvincePeriod", provinceCode: "${province.province.code}", period: "${c.reportedOn.slice(0, 4)}" }]) { ... on ProvincePeriod { coastGuardRecords } } }`);
    expect(figure.errors).toBeUndefined();
    expect(figure.data._entities[0].coastGuardRecords).toBe(province.cases.filter((x, i) => i % 4 === 0 && x.reportedOn.startsWith(c.reportedOn.slice(0, 4))).length);
    const write = await postGraphql(served.url, 'mutation ($input: RecordCoastGuardInput!) { recordCoastGuard(input: $input) { id } }', {
      input: { id: 'CG-90001', recordedOn: '2025-06-01', communeCode: province.communes[0].code },
    });
    expect(write.errors).toBeUndefined();
    expect(write.data.recordCoastGuard.id).toBe('CG-90001');
  });
});
