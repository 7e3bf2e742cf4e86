import { describe, expect, test } from '@jest/globals';
import { parse, print } from 'graphql';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AccessPolicy } from '@pcmt/gateway';
import { ROLE_AGENCY, ROLE_CLIENT, ROLE_SCOPES } from '@pcmt/gateway/roles';
import { SHIPPED_CLIENTS } from '@pcmt/gateway/registry';
import { DEFAULT_PORTS, subgraphSdl } from '@pcmt/kit';
import { PERSON_FIGURES } from '../subgraphs/program/src/indicators.js';
import { composeSubgraphProblems, readCompose } from '../scripts/lib/compose.js';
import { checkSchema, compose, droppedEntities, printAll, ROOT, SUPERGRAPH_PATH } from '../scripts/lib/schema.js';
import { AGENCY_FILES, missingAgencyFiles } from '../scripts/lib/scaffold.js';
import { loadSubgraph, SUBGRAPHS } from '../scripts/lib/subgraphs.js';

describe('schema', () => {
  test('committed SDL equals what the code prints, and the supergraph is its composition', async () => {
    const report = await checkSchema();
    expect(report.problems).toEqual([]);
  });

  test('composition fails loudly on a conflicting subgraph', async () => {
    const sdls = await printAll();
    // Another subgraph redefining the police-owned Person.fullName as an Int must not compose.
    sdls.set('rogue', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Person @key(fields: "citizenId") { citizenId: ID! fullName: Int }
type Query { rogue: Int }`);
    const result = compose(sdls);
    expect(result.supergraphSdl).toBeUndefined();
    expect(result.errors.join('\n')).toMatch(/fullName/);
  });

  test('every subgraph of the list is in the supergraph', () => {
    const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
    for (const { name } of SUBGRAPHS) expect(supergraph).toContain(`name: "${name}"`);
  });

  test('a subgraph that drops an entity it extends fails the check (the orphanedTypes trap)', async () => {
    // legal-aid reaches its period types only through _entities: without orphanedTypes type-graphql drops them silently.
    const def = await loadSubgraph('legal-aid');
    const dropped = await subgraphSdl({ ...def, orphanedTypes: [] });
    expect(droppedEntities('legal-aid', dropped).join('\n')).toMatch(/legal-aid extends CommunePeriod .* no CommunePeriod with @key/);
    // Control: the subgraph as written keeps every entity of its list entry.
    expect(droppedEntities('legal-aid', await subgraphSdl(def))).toEqual([]);
    // And a Person extension lost from customs' SDL is named.
    const customs = readFileSync(join(ROOT, 'schema', 'customs.graphql'), 'utf8');
    const doc = parse(customs);
    const withoutPerson = print({ ...doc, definitions: doc.definitions.filter((d) => !('name' in d && d.name?.value === 'Person')) });
    expect(withoutPerson.length).toBeLessThan(print(doc).length);
    expect(droppedEntities('customs', withoutPerson)).toEqual([expect.stringMatching(/^subgraph customs extends Person /)]);
  });

  test('the person counts program withholds indicators on are exactly the figures tagged small-cell', () => {
    const policy = AccessPolicy.fromSupergraph(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    for (const type of ['CommunePeriod', 'ProvincePeriod']) {
      const tagged = policy
        .entries()
        .filter(([coordinate, p]) => coordinate.startsWith(`${type}.`) && p.smallCell)
        .map(([coordinate]) => coordinate.slice(type.length + 1));
      expect(tagged.sort()).toEqual([...PERSON_FIGURES].sort());
    }
  });
});

describe('the one list of subgraphs', () => {
  test('names every folder of subgraphs/ (but the kit), and nothing else', () => {
    const folders = readdirSync(join(ROOT, 'subgraphs'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'kit')
      .map((d) => d.name)
      .sort();
    expect(SUBGRAPHS.map((s) => s.name).sort()).toEqual(folders);
  });

  test('ports are distinct and are the default ports; the root package depends on every subgraph', () => {
    expect(new Set(SUBGRAPHS.map((s) => s.port)).size).toBe(SUBGRAPHS.length);
    expect(DEFAULT_PORTS).toEqual(Object.fromEntries(SUBGRAPHS.map((s) => [s.name, s.port])));
    const deps = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies;
    for (const { name } of SUBGRAPHS) expect([name, deps[`@pcmt/${name}`]]).toEqual([name, '*']);
  });

  test('docker-compose.yml runs every subgraph of the list on its port, and the gateway routes to each', () => {
    const compose = readCompose(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { POSTGRES_PASSWORD: 'x' });
    expect(composeSubgraphProblems(compose, SUBGRAPHS)).toEqual([]);
    // The image installs every workspace from its manifest before the code is copied.
    const copied = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').match(/^COPY subgraphs\/([a-z0-9-]+)\/package\.json /gm)!.map((l) => l.split('/')[1]);
    expect(copied.filter((n) => n !== 'kit').sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
    // Control: a subgraph the file does not run is reported.
    expect(composeSubgraphProblems(compose, [...SUBGRAPHS, { name: 'coast-guard', port: 4099 }])).toContain('service coast-guard is missing');
  });

  test("every agency's subgraph has a role with its scopes and a shipped client application", () => {
    for (const { name } of SUBGRAPHS.filter((s) => s.name !== 'program')) {
      const roles = Object.keys(ROLE_AGENCY).filter((r) => ROLE_AGENCY[r] === name);
      expect([name, roles.length > 0]).toEqual([name, true]);
      expect([name, roles.some((r) => ROLE_SCOPES[r]?.includes(`${name}:read`))]).toEqual([name, true]);
      const clients = SHIPPED_CLIENTS.filter((c) => c.agency === name).map((c) => c.client);
      expect([name, clients]).toEqual([name, [`${name}-app`]]);
      expect([name, roles.map((r) => ROLE_CLIENT[r])]).toEqual([name, roles.map(() => `${name}-app`)]);
    }
  });

  test("every agency's subgraph has the common file set (inputs, writes, resolvers/ …); program is no agency", () => {
    for (const { name } of SUBGRAPHS.filter((s) => s.name !== 'program')) {
      expect([name, missingAgencyFiles(join(ROOT, 'subgraphs', name), name)]).toEqual([name, []]);
    }
    // Control: an agency laid out the old way (inputs inside writes.ts, one resolvers.ts, migrations as a file) is reported.
    const old = mkdtempSync(join(tmpdir(), 'pcmt-layout-'));
    try {
      for (const f of AGENCY_FILES.map((f) => f.replace('NAME', 'coast-guard'))) {
        if (f === 'src/inputs.ts' || f === 'src/resolvers/index.ts' || f === 'src/migrations/') continue;
        mkdirSync(join(old, f.endsWith('/') ? f : dirname(f)), { recursive: true });
        if (!f.endsWith('/')) writeFileSync(join(old, f), '');
      }
      writeFileSync(join(old, 'src/resolvers.ts'), '');
      writeFileSync(join(old, 'src/migrations'), '');
      expect(missingAgencyFiles(old, 'coast-guard')).toEqual(['src/inputs.ts', 'src/resolvers/index.ts', 'src/migrations/']);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

});
