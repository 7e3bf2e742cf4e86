import { describe, expect, test } from '@jest/globals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql } from 'graphql';
import { gql } from 'graphql-tag';
import { enforceScopeTags } from './access.js';
import { CallerArea } from './area.js';

const schema = enforceScopeTags(
  buildSubgraphSchema({
    typeDefs: gql`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])
      type Enrolment @key(fields: "id") @tag(name: "scope:health:read") {
        id: ID!
        doseMg: Int
      }
      type Person @key(fields: "citizenId") {
        citizenId: ID!
        inTreatment: Boolean @tag(name: "scope:health:read") @tag(name: "scope:health:treatment-status")
        enrolments: [Enrolment!]! @tag(name: "scope:health:read")
      }
      type Query {
        enrolment(id: ID!): Enrolment
      }
    `,
    resolvers: {
      Query: { enrolment: () => ({ id: '1', doseMg: 80 }) },
      Enrolment: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, doseMg: 80 }) },
      Person: {
        __resolveReference: (ref: { citizenId: string }) => ref,
        inTreatment: () => true,
        enrolments: () => [{ id: '1', doseMg: 80 }],
      },
    } as any,
  }),
);

const run = (source: string, scopes: string[], variableValues?: Record<string, unknown>) =>
  graphql({ schema, source, variableValues, contextValue: { caller: { scopes }, area: CallerArea.everywhere() } });

describe('subgraph checks the scope tags again', () => {
  test('control on: a caller with the scope reads', async () => {
    const r = await run('{ enrolment(id: "1") { doseMg } }', ['health:read']);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ enrolment: { doseMg: 80 } });
  });

  test('a caller without it gets FORBIDDEN, including through _entities', async () => {
    const direct = await run('{ enrolment(id: "1") { doseMg } }', ['police:read']);
    expect(direct.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const viaEntity = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Enrolment { doseMg } } }', ['police:read'], {
      r: [{ __typename: 'Enrolment', id: '1' }],
    });
    expect(viaEntity.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(viaEntity.data)).not.toContain('80');
  });

  test('police may see whether a person is in treatment, not the dosing', async () => {
    const r = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { inTreatment enrolments { doseMg } } } }', ['health:treatment-status'], {
      r: [{ __typename: 'Person', citizenId: '004085123456' }],
    });
    expect(r.errors?.map((e) => e.path?.join('.'))).toEqual(['_entities.0.enrolments']);
    expect(JSON.stringify(r.data)).not.toContain('80');
    const status = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { inTreatment } } }', ['health:treatment-status'], {
      r: [{ __typename: 'Person', citizenId: '004085123456' }],
    });
    expect(status.errors).toBeUndefined();
    expect(status.data).toEqual({ _entities: [{ inTreatment: true }] });
  });
});
