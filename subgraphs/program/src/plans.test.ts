import { describe, expect, test } from '@jest/globals';
import { INDICATORS } from './indicators.js';
import { PLAN_COMPARATORS, SEEDED_PLANS } from './plan-documents.js';

describe('the seeded plans', () => {
  const ids = new Set(INDICATORS.map((d) => d.id));

  test('every target names an indicator of the catalogue, once per plan, with a comparator, a deadline and its line', () => {
    for (const plan of SEEDED_PLANS) {
      const seen = new Set<string>();
      for (const t of plan.targets) {
        expect([plan.id, t.indicatorId, ids.has(t.indicatorId)]).toEqual([plan.id, t.indicatorId, true]);
        expect(seen.has(t.indicatorId)).toBe(false);
        seen.add(t.indicatorId);
        expect(PLAN_COMPARATORS).toContain(t.comparator);
        expect(t.deadline).toMatch(/^\d{4}-12-31$/);
        expect(t.seedLine.length).toBeGreaterThan(20);
      }
    }
  });

  test('one national programme; each seed province has its own documents', () => {
    expect(SEEDED_PLANS.filter((p) => p.provinceCode === null).map((p) => p.id)).toEqual(['VN-7619-QD-BCA-2025']);
    const byProvince = (code: string) => SEEDED_PLANS.filter((p) => p.provinceCode === code).map((p) => p.sourceLink?.slice(0, 3));
    expect(byProvince('22')).toEqual(['000', '001']);
    expect(byProvince('20')).toEqual(['002']);
    expect(byProvince('04')).toEqual(['003']);
    expect(byProvince('37')).toEqual(['004']);
  });

  test('Cao Bằng (003): at least 12 % drug-free communes by 2025, −5 % against 2023, 100 % managed', () => {
    const cb = SEEDED_PLANS.find((p) => p.provinceCode === '04')!;
    const t = Object.fromEntries(cb.targets.map((x) => [x.indicatorId, x]));
    expect(t.f1).toMatchObject({ comparator: 'AT_LEAST', target: 12, deadline: '2025-12-31' });
    expect(t.f2).toMatchObject({ comparator: 'AT_MOST', target: -5, baselineYear: 2023 });
    expect(t.managed).toMatchObject({ comparator: 'AT_LEAST', target: 100 });
  });
});
