import { describe, expect, test } from '@jest/globals';
import { covers, enclosingPeriods, partsOf } from './reporting.js';

describe('which closures cover a period', () => {
  test('a month lies in its quarter and year; a year has four quarters, a quarter three months', () => {
    expect(enclosingPeriods('2025-11')).toEqual(['2025-Q4', '2025']);
    expect(enclosingPeriods('2025-Q2')).toEqual(['2025']);
    expect(partsOf('2025')).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    expect(partsOf('2025-Q4')).toEqual(['2025-10', '2025-11', '2025-12']);
  });

  test('closed itself, inside a closed period, or every part closed', () => {
    expect(covers(new Set(['2025']), '2025-08')).toBe(true);
    expect(covers(new Set(['2025-Q3']), '2025-08')).toBe(true);
    expect(covers(new Set(['2025-Q1', '2025-Q2', '2025-Q3']), '2025')).toBe(false);
    expect(covers(new Set(['2025-Q1', '2025-Q2', '2025-Q3', '2025-10', '2025-11', '2025-12']), '2025')).toBe(true);
    expect(covers(new Set(['2024']), '2025-Q1')).toBe(false);
  });
});
