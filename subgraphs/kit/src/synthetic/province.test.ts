import { describe, expect, test } from '@jest/globals';
import { DEMO_PROFILE, PROVINCE_PROFILES, provinceProfiles, syntheticProvince, syntheticProvinces } from './province.js';

describe('named provinces', () => {
  const four = syntheticProvinces({ seed: 5, scale: 0.05, provinces: ['cao-bang', 'lang-son', 'quang-ninh', 'ninh-binh'] });

  test('their real number of communes since 1 July 2025, codes that never meet', () => {
    expect(four.map((p) => [p.province.code, p.province.name, p.communes.length])).toEqual([
      ['04', 'Cao Bằng', 56],
      ['20', 'Lạng Sơn', 65],
      ['22', 'Quảng Ninh', 54],
      ['37', 'Ninh Bình', 129],
    ]);
    const codes = four.flatMap((p) => p.communes.map((c) => c.code));
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^\d{5}$/);
    // Quảng Ninh's two special zones, Ninh Bình's 32 wards.
    expect(four[2].communes.filter((c) => c.kind === 'SPECIAL_ZONE')).toHaveLength(2);
    expect(four[3].communes.filter((c) => c.kind === 'WARD')).toHaveLength(32);
  });

  test('geography: no border commune in Ninh Bình; border communes in the three border provinces', () => {
    expect(four[3].communes.some((c) => c.border)).toBe(false);
    for (const p of four.slice(0, 3)) expect(p.communes.some((c) => c.border)).toBe(true);
  });

  test('record numbers, citizen IDs and agency streams of each province are its own', () => {
    const all = (pick: (p: (typeof four)[number]) => string[]) => four.flatMap(pick);
    for (const ids of [all((p) => p.cases.map((c) => c.id)), all((p) => p.seizures.map((s) => s.id)), all((p) => p.legalAid.map((r) => r.id)), all((p) => p.persons.map((x) => x.citizenId))]) {
      expect(new Set(ids).size).toBe(ids.length);
    }
    four.forEach((p) => expect(p.persons.every((x) => x.citizenId.startsWith(`0${p.province.code}`))).toBe(true));
    expect(new Set(four.map((p) => p.seed)).size).toBe(4);
  });

  test('no two years alike, even at a small scale', () => {
    for (const p of four) {
      const count = (y: number) => p.cases.filter((c) => c.reportedOn.startsWith(String(y))).length;
      expect(count(p.year)).not.toBe(count(p.year - 1));
    }
  });

  test('the demo province is unchanged and stays the default; unknown names are refused', () => {
    expect(syntheticProvinces({ seed: 5, scale: 0.05 })).toEqual([syntheticProvince({ seed: 5, scale: 0.05 })]);
    expect(syntheticProvince({ seed: 5, scale: 0.05 }).profile).toBe(DEMO_PROFILE);
    expect(() => provinceProfiles('cao-bang,ha-noi')).toThrow(/unknown province ha-noi/);
    expect(Object.keys(PROVINCE_PROFILES)).toEqual(['cao-bang', 'lang-son', 'quang-ninh', 'ninh-binh']);
  });
});
