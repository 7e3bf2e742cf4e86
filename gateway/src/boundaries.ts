import { Delaunay } from 'd3-delaunay';
import { geoArea } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Commune boundaries (địa giới hành chính cấp xã) for the dashboard's choropleth map: a GeoJSON
 * FeatureCollection per province, one feature per commune with property `code` (mã xã, 5 digits).
 * A province imports its real boundaries (`npm run boundaries -- import`); a synthetic province gets
 * generated shapes: a Voronoi partition of seeded points inside a seeded province outline.
 */

export type CommuneGeometry = Polygon | MultiPolygon;
export type CommuneFeature = Feature<CommuneGeometry, { code: string; name?: string }>;
export interface Boundaries extends FeatureCollection<CommuneGeometry, { code: string; name?: string }> {
  /** Mã tỉnh the file belongs to. */
  province: string;
  /** True for shapes made up by `generateBoundaries` (not true boundaries); the map says so. */
  generated: boolean;
}

export interface BoundaryCommune {
  code: string;
  name?: string;
}

// ---- generated shapes ---------------------------------------------------------------------------

/** FNV-1a: a stable 32-bit seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: small, fast, the same sequence on every platform. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rough centres (longitude, latitude) of the seed provinces, so their generated maps sit where they are. */
const CENTRES: Record<string, [number, number]> = {
  '04': [106.05, 22.7], // Cao Bằng
  '20': [106.6, 21.85], // Lạng Sơn
  '22': [107.3, 21.2], // Quảng Ninh
  '37': [106.0, 20.25], // Ninh Bình
};

type Point = [number, number];

/** Twice the signed area of a ring (positive counter-clockwise with y up). */
function signedArea2(ring: Point[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return s;
}

function inside(p: Point, ring: Point[]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/**
 * Sutherland–Hodgman: `subject` (any simple polygon) cut by the convex `clip`. Both open rings.
 * A Voronoi cell is convex, so cutting the province outline by each cell partitions the outline.
 */
function clipByConvex(subject: Point[], clip: Point[]): Point[] {
  const orientation = Math.sign(signedArea2(clip)) || 1;
  let out = subject;
  for (let i = 0; i < clip.length && out.length; i++) {
    const a = clip[i];
    const b = clip[(i + 1) % clip.length];
    const side = (p: Point) => orientation * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]));
    const input = out;
    out = [];
    for (let k = 0; k < input.length; k++) {
      const p = input[k];
      const q = input[(k + 1) % input.length];
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) out.push(p);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return out;
}

function centroid(ring: Point[]): Point {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
  }
  return a === 0 ? ring[0] : [x / (3 * a), y / (3 * a)];
}

/** Drops repeated vertices (rounding can merge a clipped corner with its neighbour). */
function tidy(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) if (!out.length || out[out.length - 1][0] !== p[0] || out[out.length - 1][1] !== p[1]) out.push(p);
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

/**
 * Plausible, non-overlapping commune shapes for a province that has no boundaries imported: the
 * same province and commune codes always give the same shapes (Lloyd-relaxed Voronoi cells of
 * points seeded by the province code, inside a seeded irregular outline). Rings follow RFC 7946
 * (exterior counter-clockwise); d3-geo wants the opposite, see `forD3`.
 */
export function generateBoundaries(province: string, communes: readonly BoundaryCommune[]): Boundaries {
  const sorted = [...new Map(communes.map((c) => [c.code, c])).values()].sort((a, b) => a.code.localeCompare(b.code));
  const n = sorted.length;
  const rand = random(hash(`pcmt-boundaries:${province}`));
  const [lon0, lat0] = CENTRES[province] ?? [103.5 + (hash(province) % 50) / 10, 10 + (hash(`${province}:lat`) % 120) / 10];
  const kx = Math.cos((lat0 * Math.PI) / 180);
  // Local plane in degrees of latitude (x shrunk by cos φ): about 100 km² a commune.
  const radius = 0.055 * Math.sqrt(Math.max(n, 1)) + 0.04;
  // A few low harmonics: an irregular but star-shaped outline (every ray from the centre crosses it once).
  const harmonics = [[1, 0.1], [2, 0.08], [3, 0.05], [5, 0.025]].map(([k, amp]) => ({ k, amp: amp * (0.5 + rand()), phase: rand() * 2 * Math.PI }));
  const outline: Point[] = [];
  const VERTICES = 96;
  for (let i = 0; i < VERTICES; i++) {
    const a = (2 * Math.PI * i) / VERTICES;
    const r = radius * (1 + harmonics.reduce((s, h) => s + h.amp * Math.sin(h.k * a + h.phase), 0));
    outline.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const box: [number, number, number, number] = [Math.min(...xs) - 0.01, Math.min(...ys) - 0.01, Math.max(...xs) + 0.01, Math.max(...ys) + 0.01];

  let sites: Point[] = [];
  while (sites.length < n) {
    const p: Point = [box[0] + rand() * (box[2] - box[0]), box[1] + rand() * (box[3] - box[1])];
    if (inside(p, outline)) sites.push(p);
  }
  const cells = (points: Point[]): Point[][] => {
    if (points.length === 1) return [outline];
    const voronoi = Delaunay.from(points).voronoi(box);
    return points.map((_, i) => {
      const cell = voronoi.cellPolygon(i) as Point[] | null;
      return cell ? clipByConvex(outline, cell.slice(0, -1)) : [];
    });
  };
  // Lloyd relaxation: communes of similar size, as real ones roughly are.
  for (let round = 0; round < 6; round++) sites = cells(sites).map((cell, i) => (cell.length >= 3 ? centroid(cell) : sites[i]));
  const shapes = cells(sites);

  const toLonLat = (p: Point): Position => [Math.round((lon0 + p[0] / kx) * 1e5) / 1e5, Math.round((lat0 + p[1]) * 1e5) / 1e5];
  const features: CommuneFeature[] = sorted.map((c, i) => {
    let ring = tidy(shapes[i].map(toLonLat));
    if (signedArea2(ring as Point[]) < 0) ring = ring.reverse();
    const properties: { code: string; name?: string } = { code: c.code };
    if (c.name) properties.name = c.name;
    return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } };
  });
  return { type: 'FeatureCollection', province, generated: true, features };
}

/**
 * d3-geo draws a ring's inside on its right (clockwise), RFC 7946 files have it on the left: a
 * feature whose area is more than half the sphere is wound the other way, so its rings are reversed.
 */
export function forD3<T extends Feature<CommuneGeometry>>(feature: T): T {
  if (geoArea(feature) <= 2 * Math.PI) return feature;
  const flip = (rings: Position[][]) => rings.map((r) => [...r].reverse());
  const g = feature.geometry;
  const geometry = g.type === 'Polygon' ? { ...g, coordinates: flip(g.coordinates) } : { ...g, coordinates: g.coordinates.map(flip) };
  return { ...feature, geometry };
}

// ---- imported boundaries ------------------------------------------------------------------------

export interface ValidationResult {
  /** The features kept (codes padded, names from the commune list), ready to store; null when nothing can be. */
  boundaries: Boundaries | null;
  /** Problems in Vietnamese, one line each (the file, or a feature by its position and code). */
  problems: string[];
  /** Communes of the province with no feature in the file. */
  missing: BoundaryCommune[];
  /** Codes in the file that are not communes of the province. */
  unknown: string[];
  /** Features refused (bad geometry, no code, unknown or repeated code). */
  refused: number;
}

const isPosition = (p: unknown): boolean => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90;

function ringProblem(ring: unknown): string | null {
  if (!Array.isArray(ring) || ring.length < 4) return 'một vòng ranh giới có ít hơn 4 điểm';
  if (!ring.every(isPosition)) return 'có tọa độ không phải [kinh độ, vĩ độ] hợp lệ';
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return 'một vòng ranh giới không khép kín (điểm đầu khác điểm cuối)';
  return null;
}

function geometryProblem(g: any): string | null {
  if (!g || typeof g !== 'object') return 'không có hình học (geometry)';
  if (g.type === 'Polygon') {
    if (!Array.isArray(g.coordinates) || !g.coordinates.length) return 'Polygon không có tọa độ';
    for (const ring of g.coordinates) {
      const p = ringProblem(ring);
      if (p) return p;
    }
    return null;
  }
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || !g.coordinates.length) return 'MultiPolygon không có tọa độ';
    for (const polygon of g.coordinates) {
      if (!Array.isArray(polygon) || !polygon.length) return 'MultiPolygon có một đa giác rỗng';
      for (const ring of polygon) {
        const p = ringProblem(ring);
        if (p) return p;
      }
    }
    return null;
  }
  return `hình học phải là Polygon hoặc MultiPolygon, không phải ${String(g.type)}`;
}

/** A commune code as clerks type it: 1273 or "1273" is 01273. */
function communeCode(v: unknown): string | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) v = String(v);
  if (typeof v !== 'string' || !/^\d{1,5}$/.test(v.trim())) return null;
  return v.trim().padStart(5, '0');
}

/**
 * Checks a province's GeoJSON against its commune list: a FeatureCollection of Polygon or
 * MultiPolygon features, each with property `code` (also `ma_xa`/`MA_XA`) naming one commune of the
 * province once. Bad features are refused and listed; the rest are kept.
 */
export function validateBoundaries(province: string, input: unknown, communes: readonly BoundaryCommune[]): ValidationResult {
  const result: ValidationResult = { boundaries: null, problems: [], missing: [], unknown: [], refused: 0 };
  const doc = input as any;
  if (!doc || typeof doc !== 'object' || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    result.problems.push(`Tệp phải là một FeatureCollection GeoJSON (đang là ${doc && typeof doc === 'object' ? String(doc.type ?? 'không rõ loại') : typeof doc}).`);
    return result;
  }
  if (!communes.length) {
    result.problems.push(`Chưa có danh sách xã của tỉnh ${province}: nạp dữ liệu danh mục xã trước (npm run seed hoặc nhập danh mục).`);
    return result;
  }
  const known = new Map(communes.map((c) => [c.code, c]));
  const seen = new Map<string, number>();
  const kept: CommuneFeature[] = [];
  doc.features.forEach((f: any, i: number) => {
    const at = `Đối tượng thứ ${i + 1}`;
    if (!f || f.type !== 'Feature') {
      result.problems.push(`${at}: không phải một Feature GeoJSON.`);
      result.refused++;
      return;
    }
    const props = f.properties ?? {};
    const raw = props.code ?? props.ma_xa ?? props.MA_XA ?? props.maXa;
    const code = communeCode(raw);
    if (!code) {
      result.problems.push(`${at}: thiếu thuộc tính code (mã xã 5 chữ số)${raw === undefined ? '' : `, giá trị "${String(raw)}" không hợp lệ`}.`);
      result.refused++;
      return;
    }
    const problem = geometryProblem(f.geometry);
    if (problem) {
      result.problems.push(`${at} (mã xã ${code}): ${problem}.`);
      result.refused++;
      return;
    }
    if (!known.has(code)) {
      result.unknown.push(code);
      result.refused++;
      return;
    }
    if (seen.has(code)) {
      result.problems.push(`${at}: mã xã ${code} đã có ở đối tượng thứ ${seen.get(code)! + 1}, bỏ qua bản lặp.`);
      result.refused++;
      return;
    }
    seen.set(code, i);
    const name = known.get(code)!.name;
    kept.push({ type: 'Feature', properties: name ? { code, name } : { code }, geometry: { type: f.geometry.type, coordinates: f.geometry.coordinates } as CommuneGeometry });
  });
  if (result.unknown.length) result.problems.push(`${result.unknown.length} mã xã không thuộc tỉnh ${province}, bị bỏ qua: ${result.unknown.join(', ')}.`);
  result.missing = communes.filter((c) => !seen.has(c.code));
  if (result.missing.length) {
    const names = result.missing.slice(0, 20).map((c) => (c.name ? `${c.name} (${c.code})` : c.code));
    result.problems.push(`Thiếu ranh giới của ${result.missing.length}/${communes.length} xã (sẽ hiện màu xám, ghi "chưa có ranh giới"): ${names.join(', ')}${result.missing.length > 20 ? ', …' : ''}.`);
  }
  if (kept.length) result.boundaries = { type: 'FeatureCollection', province, generated: false, features: kept.sort((a, b) => a.properties.code.localeCompare(b.properties.code)) };
  else result.problems.push('Không có đối tượng nào dùng được: không lưu gì.');
  return result;
}

// ---- the store ----------------------------------------------------------------------------------

const PROVINCE = /^\d{2}$/;

/** One `<code>.geojson` file per province in a folder (PCMT_BOUNDARIES_DIR, by default data/boundaries). */
export class BoundaryStore {
  constructor(readonly dir: string) {}

  path(province: string): string {
    if (!PROVINCE.test(province)) throw new Error(`mã tỉnh phải có 2 chữ số: ${province}`);
    return join(this.dir, `${province}.geojson`);
  }

  has(province: string): boolean {
    return PROVINCE.test(province) && existsSync(this.path(province));
  }

  read(province: string): Boundaries | null {
    return this.has(province) ? (JSON.parse(readFileSync(this.path(province), 'utf8')) as Boundaries) : null;
  }

  /** Writes the file whole (rename), so a gateway never serves half of one; false when it was already the same. */
  write(boundaries: Boundaries): boolean {
    const path = this.path(boundaries.province);
    const text = JSON.stringify(boundaries);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    return true;
  }
}
