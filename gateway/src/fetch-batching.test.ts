import { describe, expect, test } from '@jest/globals';
import { parse } from 'graphql';
import { mergeParts } from './fetch-batching.js';

const ENTITIES = 'query Op__police__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on ProvincePeriod { drugCaseCount } } }';
const TREND = 'query Op__police__2($representations: [_Any!]!, $y: Int) { _entities(representations: $representations) { ...F } } fragment F on ProvincePeriod { drugCaseCount seizureCount(year: $y) }';

describe('parallel fetches to one subgraph as one operation', () => {
  test('root fields, variables and fragments are renamed per part; the text is valid GraphQL', () => {
    const merged = mergeParts([{ query: ENTITIES, variables: { representations: [{ a: 1 }] } }, { query: TREND, variables: { representations: [{ b: 2 }], y: 2025 } }], 'Op__police__batched')!;
    expect(merged.variables).toEqual({ _p0_representations: [{ a: 1 }], _p1_representations: [{ b: 2 }], _p1_y: 2025 });
    const doc = parse(merged.query);
    expect(merged.query).toContain('query Op__police__batched($_p0_representations: [_Any!]!, $_p1_representations: [_Any!]!, $_p1_y: Int)');
    expect(merged.query).toContain('_p0__entities: _entities(representations: $_p0_representations)');
    expect(merged.query).toContain('_p1__entities: _entities(representations: $_p1_representations) {\n    ..._p1_F');
    expect(merged.query).toContain('fragment _p1_F on ProvincePeriod {\n  drugCaseCount\n  seizureCount(year: $_p1_y)');
    expect(doc.definitions).toHaveLength(2);
  });

  test('the answer goes back to each part, with the errors whose path names its fields; others to all', () => {
    const merged = mergeParts([{ query: ENTITIES, variables: {} }, { query: TREND, variables: {} }], 'B')!;
    const whole = { message: 'the subgraph is closing' };
    const [a, b] = merged.split({
      data: { _p0__entities: [{ drugCaseCount: 1 }], _p1__entities: [null] },
      errors: [{ message: 'nope', path: ['_p1__entities', 0, 'seizureCount'] }, whole],
      extensions: { x: 1 },
    });
    expect(a).toEqual({ data: { _entities: [{ drugCaseCount: 1 }] }, errors: [whole], extensions: { x: 1 } });
    expect(b).toEqual({ data: { _entities: [null] }, errors: [{ message: 'nope', path: ['_entities', 0, 'seizureCount'] }, whole], extensions: { x: 1 } });
    expect(merged.split({ data: null, errors: [whole] })).toEqual([{ data: null, errors: [whole] }, { data: null, errors: [whole] }]);
  });

  test('never merged: a write, a root fragment, a single part', () => {
    expect(mergeParts([{ query: ENTITIES, variables: {} }, { query: 'mutation M { classifyCommune(input: {}) { id } }', variables: {} }], 'B')).toBeNull();
    expect(mergeParts([{ query: ENTITIES, variables: {} }, { query: 'query Q { ...R } fragment R on Query { provinces { code } }', variables: {} }], 'B')).toBeNull();
    expect(mergeParts([{ query: ENTITIES, variables: {} }], 'B')).toBeNull();
  });
});
