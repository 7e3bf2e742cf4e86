import { describe, expect, test } from '@jest/globals';
import { geoArea, geoCentroid, geoContains } from 'd3-geo';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoundaryStore, forD3, generateBoundaries, validateBoundaries, type Boundaries } from './boundaries.js';

const communes = (n: number, first = 1273, step = 7) => Array.from({ length: n }, (_, i) => ({ code: String(first + i * step).padStart(5, '0'), name: `Xã Số ${i + 1}` }));

/** The features wound as d3-geo wants them (generated files follow RFC 7946). */
const partitionChecks = (fc: Boundaries) => ({ features: fc.features.map(forD3) });

describe('generated boundaries of a synthetic province', () => {
  const list = communes(56);
  const fc = generateBoundaries('04', list);

  test('the same province and communes give the same shapes, whatever the order', () => {
    expect(JSON.stringify(generateBoundaries('04', [...list].reverse()))).toBe(JSON.stringify(fc));
    // Another province has another outline.
    expect(JSON.stringify(generateBoundaries('20', list).features[0].geometry)).not.toBe(JSON.stringify(fc.features[0].geometry));
  });

  test('one closed, RFC 7946 polygon per commune, named by its code', () => {
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.generated).toBe(true);
    expect(fc.features.map((f) => f.properties.code)).toEqual(list.map((c) => c.code));
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('Polygon');
      const ring = (f.geometry as any).coordinates[0] as number[][];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      // Cao Bằng's generated map lies around Cao Bằng.
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThan(104.5);
        expect(lon).toBeLessThan(107.6);
        expect(lat).toBeGreaterThan(21.2);
        expect(lat).toBeLessThan(24.2);
      }
      // RFC 7946 winding: as written the ring encloses the rest of the sphere for d3; forD3 turns it round.
      expect(geoArea(f)).toBeGreaterThan(2 * Math.PI);
      expect(geoArea(forD3(f))).toBeLessThan(1e-3);
    }
  });

  test('no two shapes overlap: each centroid lies in its own shape only, and no sampled point lies in two', () => {
    const { features } = partitionChecks(fc);
    for (const [i, f] of features.entries()) {
      const c = geoCentroid(f);
      const holders = features.filter((g) => geoContains(g, c)).map((g) => g.properties.code);
      expect({ code: f.properties.code, holders }).toEqual({ code: f.properties.code, holders: [features[i].properties.code] });
    }
    // Sampled points of the province's bounding box: none lies in two shapes.
    const lons = features.flatMap((f) => (f.geometry as any).coordinates[0].map((p: number[]) => p[0]));
    const lats = features.flatMap((f) => (f.geometry as any).coordinates[0].map((p: number[]) => p[1]));
    let inAny = 0;
    for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) {
      const p: [number, number] = [Math.min(...lons) + ((i + 0.5) / 40) * (Math.max(...lons) - Math.min(...lons)), Math.min(...lats) + ((j + 0.5) / 40) * (Math.max(...lats) - Math.min(...lats))];
      const n = features.filter((f) => geoContains(f, p)).length;
      expect(n).toBeLessThanOrEqual(1);
      inAny += n;
    }
    // Most of the box is the province (an irregular, roughly round outline).
    expect(inAny).toBeGreaterThan(0.5 * 1600);
  });

  test('communes are of comparable size (relaxed, not slivers)', () => {
    const areas = partitionChecks(fc).features.map((f) => geoArea(f));
    expect(Math.min(...areas)).toBeGreaterThan(0.2 * (areas.reduce((a, b) => a + b, 0) / areas.length));
  });

  test('a single commune is the whole outline; a large province still partitions', () => {
    expect(generateBoundaries('04', [{ code: '01000' }]).features).toHaveLength(1);
    const big = generateBoundaries('37', communes(129, 13285, 11));
    expect(big.features).toHaveLength(129);
    const { features } = partitionChecks(big);
    for (const f of features) expect(features.filter((g) => geoContains(g, geoCentroid(f)))).toEqual([f]);
  });
});

describe('importing a province\'s boundaries', () => {
  const list = communes(4);
  const square = (x: number, y: number) => [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]];
  const feature = (code: unknown, geometry: any = { type: 'Polygon', coordinates: square(106, 22) }) => ({ type: 'Feature', properties: { code }, geometry });

  test('a complete file is kept whole, codes padded to 5 digits and names from the commune list', () => {
    const r = validateBoundaries('04', { type: 'FeatureCollection', features: [feature(1273), feature('01280'), feature('1287'), feature('01294', { type: 'MultiPolygon', coordinates: [square(106.2, 22), square(106.4, 22)] })] }, list);
    expect(r.problems).toEqual([]);
    expect(r.refused).toBe(0);
    expect(r.boundaries!.features.map((f) => [f.properties.code, f.properties.name])).toEqual(list.map((c) => [c.code, c.name]));
    expect(r.boundaries!.generated).toBe(false);
  });

  test('unknown, repeated, uncoded and non-polygon features are refused with the reason in Vietnamese; missing communes are named', () => {
    const r = validateBoundaries('04', {
      type: 'FeatureCollection',
      features: [feature('01273'), feature('01273'), feature('99999'), feature(undefined), feature('01280', { type: 'Point', coordinates: [106, 22] }), feature('01287', { type: 'Polygon', coordinates: [[[106, 22], [106.1, 22], [106.1, 22.1]]] })],
    }, list);
    expect(r.refused).toBe(5);
    expect(r.unknown).toEqual(['99999']);
    expect(r.missing.map((c) => c.code)).toEqual(['01280', '01287', '01294']);
    expect(r.boundaries!.features.map((f) => f.properties.code)).toEqual(['01273']);
    const text = r.problems.join('\n');
    expect(text).toContain('Đối tượng thứ 2: mã xã 01273 đã có ở đối tượng thứ 1');
    expect(text).toContain('1 mã xã không thuộc tỉnh 04, bị bỏ qua: 99999');
    expect(text).toContain('Đối tượng thứ 4: thiếu thuộc tính code');
    expect(text).toContain('Đối tượng thứ 5 (mã xã 01280): hình học phải là Polygon hoặc MultiPolygon, không phải Point');
    expect(text).toContain('Đối tượng thứ 6 (mã xã 01287): một vòng ranh giới có ít hơn 4 điểm');
    expect(text).toContain('Thiếu ranh giới của 3/4 xã');
    expect(text).toContain('Xã Số 2 (01280)');
  });

  test('a file that is not a FeatureCollection keeps nothing', () => {
    for (const doc of [{ type: 'Feature', geometry: null }, [], 'text', null]) {
      const r = validateBoundaries('04', doc, list);
      expect(r.boundaries).toBeNull();
      expect(r.problems[0]).toMatch(/^Tệp phải là một FeatureCollection GeoJSON/);
    }
    expect(validateBoundaries('04', { type: 'FeatureCollection', features: [feature('99999')] }, list).boundaries).toBeNull();
    expect(validateBoundaries('04', { type: 'FeatureCollection', features: [] }, []).problems[0]).toMatch(/Chưa có danh sách xã của tỉnh 04/);
  });

  test('the store writes a province whole and tells when nothing changed', () => {
    const store = new BoundaryStore(join(mkdtempSync(join(tmpdir(), 'pcmt-boundaries-')), 'b'));
    expect(store.read('04')).toBeNull();
    const fc = generateBoundaries('04', list);
    expect(store.write(fc)).toBe(true);
    expect(store.write(fc)).toBe(false);
    expect(JSON.parse(readFileSync(store.path('04'), 'utf8')).features).toHaveLength(4);
    expect(store.read('04')!.province).toBe('04');
    expect(() => store.path('../x')).toThrow();
    expect(store.has('../x')).toBe(false);
  });
});
