import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { AccessPolicy } from '@pcmt/gateway';
import { PERSON_FIGURES } from '../subgraphs/program/src/indicators.js';
import { checkSchema, compose, printAll, SUPERGRAPH_PATH } from '../scripts/lib/schema.js';

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

  test('every subgraph is in the supergraph', () => {
    const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
    for (const name of ['police', 'health', 'education', 'customs', 'legal-aid', 'program']) {
      expect(supergraph).toContain(`name: "${name}"`);
    }
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
