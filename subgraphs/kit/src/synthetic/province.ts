import type { Faker } from '@faker-js/faker';
import { addDays, dayBetween, rngFor } from './random.js';

/**
 * The backbone of one synthetic province that every subgraph seeds from: the same seed gives the
 * same communes, persons and cross-agency links everywhere, so a person in a police file is the
 * same person in a methadone enrolment and a legal-aid request. Each subgraph adds its own detail
 * from its own random stream (`rngFor(seed, '<subgraph>')`).
 */
/** Mã tỉnh of the synthetic demo province (Cao Bằng); development tokens name it as their area. */
export const DEMO_PROVINCE_CODE = '04';

export interface SyntheticCommune {
  code: string;
  name: string;
  kind: 'COMMUNE' | 'WARD' | 'SPECIAL_ZONE';
  border: boolean;
  population: number;
}

export interface SyntheticPerson {
  citizenId: string;
  fullName: string;
  sex: 'MALE' | 'FEMALE';
  birthYear: number;
  communeCode: string;
}

export type ManagedCategory = 'ILLEGAL_USER' | 'ADDICT' | 'POST_REHAB' | 'RELEASED_AFTER_SENTENCE';

export interface SyntheticManaged {
  citizenId: string;
  communeCode: string;
  category: ManagedCategory;
  openedOn: string;
  closedOn: string | null;
  opioid: boolean;
}

export interface SyntheticMethadonePatient {
  citizenId: string;
  communeCode: string;
  startedOn: string;
  /** Day the patient stopped coming, or null while still dosed. */
  droppedOn: string | null;
}

export interface SyntheticCase {
  id: string;
  communeCode: string;
  reportedOn: string;
  substanceCodes: string[];
  suspects: { citizenId: string; role: 'LEADER' | 'ACCOMPLICE' | 'OFFENDER' }[];
}

export interface SyntheticSeizure {
  id: string;
  communeCode: string;
  seizedOn: string;
  handedOverCaseId: string | null;
  suspectIds: string[];
  substanceCodes: string[];
}

export interface SyntheticLegalAid {
  id: string;
  citizenId: string;
  communeCode: string;
  receivedOn: string;
  drugCaseId: string | null;
}

/**
 * What makes one real province's synthetic data fit it: its official code and name, its number of
 * communes since the 1 July 2025 reorganisation, where its official commune codes lie, and its
 * geography (land border, coast, airport), which decides the smuggling routes seeded there.
 */
export interface ProvinceProfile {
  /** Name on the command line: `npm run seed -- --provinces cao-bang,lang-son`. */
  key: string;
  code: string;
  name: string;
  /** Xã + phường + đặc khu after 1 July 2025 (not scaled: a province has the communes it has). */
  communes: number;
  wards: number;
  specialZones: number;
  /** First official commune code of the province and the step between synthetic ones (stays in the province's range). */
  firstCommuneCode: number;
  codeStep: number;
  /** Share of communes on the land border (0 without one). */
  borderShare: number;
  landBorder: boolean;
  coastal: boolean;
  airport: boolean;
  /** Users and addicts on file relative to the demo province's 5,000 at scale 1. */
  burden: number;
  /**
   * Shares of all communes the commune police classify drug-free and key hotspots, the year before
   * the data year and the data year (from the province's document where it states them); the
   * police seed's defaults otherwise.
   */
  drugSituation?: { drugFree: [number, number]; keyHotspot: [number, number] };
  /**
   * Record numbers (VA-, TG-, TGPL-…) of this province start at serial × 10,000, so two provinces
   * seeded into one graph never share a number. 0 for the demo province.
   */
  serial: number;
}

/** The demo province (`npm start`, the tests): kept exactly as it always was. */
export const DEMO_PROFILE: ProvinceProfile = {
  key: 'demo', code: DEMO_PROVINCE_CODE, name: 'Cao Bằng', communes: 150, wards: 13, specialZones: 1, firstCommuneCode: 1000, codeStep: 3,
  borderShare: 0.25, landBorder: true, coastal: true, airport: true, burden: 1, serial: 0,
};

/**
 * The four provinces whose documents are the seeds (000–004), with their communes after the
 * 2025 reorganisation (Nghị quyết của UBTVQH về sắp xếp ĐVHC cấp xã năm 2025; codes per QĐ 19/2025/QĐ-TTg).
 */
export const PROVINCE_PROFILES: Record<string, ProvinceProfile> = {
  // 56: 53 xã, 3 phường; 333 km of border with Guangxi, no seaport or airport.
  'cao-bang': {
    key: 'cao-bang', code: '04', name: 'Cao Bằng', communes: 56, wards: 3, specialZones: 0, firstCommuneCode: 1273, codeStep: 7,
    borderShare: 0.35, landBorder: true, coastal: false, airport: false, burden: 0.6, serial: 1,
    // 003: 145/161 communes with drug problems (88.2 %), 33 % of those key areas; target ≥ 12 % drug-free by 2025.
    drugSituation: { drugFree: [0.107, 0.125], keyHotspot: [0.29, 0.27] },
  },
  // 65: 61 xã, 4 phường; Hữu Nghị and Tân Thanh border gates, no seaport or airport.
  'lang-son': {
    key: 'lang-son', code: '20', name: 'Lạng Sơn', communes: 65, wards: 4, specialZones: 0, firstCommuneCode: 5977, codeStep: 7,
    borderShare: 0.3, landBorder: true, coastal: false, airport: false, burden: 0.8, serial: 2,
  },
  // 54: 22 xã, 30 phường, 2 đặc khu (Vân Đồn, Cô Tô); Móng Cái border gate, seaports, Vân Đồn airport.
  'quang-ninh': {
    key: 'quang-ninh', code: '22', name: 'Quảng Ninh', communes: 54, wards: 30, specialZones: 2, firstCommuneCode: 6652, codeStep: 9,
    borderShare: 0.15, landBorder: true, coastal: true, airport: true, burden: 1, serial: 3,
    // 000: towards more than 50 % drug-free communes by 2025.
    drugSituation: { drugFree: [0.44, 0.48], keyHotspot: [0.07, 0.06] },
  },
  // 129: 97 xã, 32 phường (with Hà Nam and Nam Định since 2025); coast, no land border, no airport.
  'ninh-binh': {
    key: 'ninh-binh', code: '37', name: 'Ninh Bình', communes: 129, wards: 32, specialZones: 0, firstCommuneCode: 13285, codeStep: 11,
    borderShare: 0, landBorder: false, coastal: true, airport: false, burden: 1.3, serial: 4,
  },
};

/** The profiles named on a command line (`cao-bang,lang-son`), in that order; throws on an unknown name. */
export function provinceProfiles(keys: string): ProvinceProfile[] {
  return keys.split(',').map((k) => k.trim()).filter(Boolean).map((k) => {
    const profile = PROVINCE_PROFILES[k];
    if (!profile) throw new Error(`unknown province ${k}: one of ${Object.keys(PROVINCE_PROFILES).join(', ')}`);
    return profile;
  });
}

export interface SyntheticProvince {
  /** Seed of the agency streams (`rngFor(seed, 'police')`): differs between provinces seeded together. */
  seed: number;
  profile: ProvinceProfile;
  scale: number;
  /** Calendar year fully covered by daily data (doses); cases cover this year and the one before. */
  year: number;
  province: { code: string; name: string };
  communes: SyntheticCommune[];
  persons: SyntheticPerson[];
  managed: SyntheticManaged[];
  methadone: SyntheticMethadonePatient[];
  cases: SyntheticCase[];
  seizures: SyntheticSeizure[];
  legalAid: SyntheticLegalAid[];
}

export const SUBSTANCE_CODES = ['HEROIN', 'METHAMPHETAMINE', 'MDMA', 'KETAMINE', 'CANNABIS', 'OPIUM', 'COCAINE', 'NPS', 'N2O'] as const;

const SYLLABLES = [
  'An', 'Bình', 'Cao', 'Đông', 'Hòa', 'Hưng', 'Hợp', 'Kim', 'Lạc', 'Lam', 'Long', 'Minh', 'Nam', 'Ngọc', 'Nguyên',
  'Phú', 'Phúc', 'Quang', 'Sơn', 'Tân', 'Thạch', 'Thanh', 'Thái', 'Thịnh', 'Thượng', 'Tiến', 'Trung', 'Trường',
  'Vân', 'Việt', 'Vĩnh', 'Xuân', 'Yên', 'Hà', 'Lũng', 'Bản', 'Nà', 'Pác', 'Quảng', 'Đức',
];

export interface ProvinceOptions {
  seed?: number;
  scale?: number;
  year?: number;
  /** One of PROVINCE_PROFILES; the demo province when omitted. */
  profile?: ProvinceProfile;
}

/** Counts of one province at scale 1 (DOMAIN.md, "Scale of one province"). */
export const BASE_COUNTS = {
  communes: 150,
  managed: 5000,
  methadone: 2500,
  casesPerYear: 420,
  seizuresPerYear: 300,
  legalAid: 320,
};

function citizenId(f: Faker, sex: 'MALE' | 'FEMALE', birthYear: number, used: Set<string>, place: string): string {
  // CCCD: 3-digit place of birth, 1 digit century+sex, 2-digit birth year, 6 random digits.
  const centurySex = (birthYear >= 2000 ? 2 : 0) + (sex === 'FEMALE' ? 1 : 0);
  for (;;) {
    const id = `${place}${centurySex}${String(birthYear % 100).padStart(2, '0')}${f.string.numeric(6)}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/**
 * The provinces one graph is seeded with: the named profiles (`['cao-bang', 'lang-son']`), each
 * from its own streams, or the demo province alone.
 */
export function syntheticProvinces(opts: Omit<ProvinceOptions, 'profile'> & { provinces?: readonly string[] } = {}): SyntheticProvince[] {
  const { provinces, ...rest } = opts;
  if (!provinces?.length) return [syntheticProvince(rest)];
  return provinceProfiles(provinces.join(',')).map((profile) => syntheticProvince({ ...rest, profile }));
}

export function syntheticProvince(opts: ProvinceOptions = {}): SyntheticProvince {
  const seed = opts.seed ?? 2025;
  const scale = opts.scale ?? 1;
  const year = opts.year ?? 2025;
  if (!(scale > 0) || scale > 100) throw new Error(`scale must be > 0 and <= 100, got ${scale}`);
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  const profile = opts.profile ?? DEMO_PROFILE;
  // The demo province keeps its stream and shape; a named province draws from its own.
  const named = profile !== DEMO_PROFILE;
  const f = rngFor(seed, named ? `province:${profile.key}` : 'province');
  const serial = (i: number) => String(profile.serial * 10_000 + i + 1).padStart(5, '0');
  // Named provinces: no two years alike (the demo keeps equal yearly counts).
  const yearFactor = new Map([year - 1, year].map((y) => [y, named ? f.number.float({ min: 0.78, max: 1.22 }) : 1]));
  const perYear = (base: number, y: number) => {
    const count = (at: number) => Math.max(1, Math.round(base * scale * yearFactor.get(at)!));
    // Never the same count two years running, however small the scale.
    return named && y === year && count(y) === count(y - 1) ? count(y) + 1 : count(y);
  };

  const communes: SyntheticCommune[] = [];
  const names = new Set<string>();
  const communeCount = named ? profile.communes : Math.max(5, n(BASE_COUNTS.communes));
  for (let i = 0; i < communeCount; i++) {
    let name: string;
    do name = `${f.helpers.arrayElement(SYLLABLES)} ${f.helpers.arrayElement(SYLLABLES)}`;
    while (names.has(name) || name.split(' ')[0] === name.split(' ')[1]);
    names.add(name);
    if (!named) {
      const kind = i % 12 === 0 ? 'WARD' : i === 7 ? 'SPECIAL_ZONE' : 'COMMUNE';
      communes.push({ code: String(1000 + i * 3).padStart(5, '0'), name, kind, border: i % 4 === 1, population: f.number.int({ min: 4000, max: 30000 }) });
      continue;
    }
    // Wards first, special zones (islands) last; only rural communes lie on the land border.
    const kind = i < profile.wards ? 'WARD' : i >= profile.communes - profile.specialZones ? 'SPECIAL_ZONE' : 'COMMUNE';
    const border = profile.landBorder && kind === 'COMMUNE' && f.number.float() < profile.borderShare;
    const population = kind === 'WARD' ? f.number.int({ min: 12000, max: 60000 }) : f.number.int({ min: 3000, max: 25000 });
    communes.push({ code: String(profile.firstCommuneCode + i * profile.codeStep).padStart(5, '0'), name, kind, border, population });
  }
  const communeCodes = communes.map((c) => c.code);

  const used = new Set<string>();
  const persons: SyntheticPerson[] = [];
  const newPerson = (communeCode = f.helpers.arrayElement(communeCodes)): SyntheticPerson => {
    const sex = f.number.float() < 0.9 ? 'MALE' : 'FEMALE';
    const birthYear = f.number.int({ min: 1960, max: year - 16 });
    const p: SyntheticPerson = {
      citizenId: citizenId(f, sex, birthYear, used, `0${profile.code}`),
      fullName: f.person.fullName({ sex: sex === 'MALE' ? 'male' : 'female' }),
      sex,
      birthYear,
      communeCode,
    };
    persons.push(p);
    return p;
  };

  const managed: SyntheticManaged[] = [];
  for (let i = 0; i < n(BASE_COUNTS.managed * profile.burden); i++) {
    const p = newPerson();
    const category = f.helpers.weightedArrayElement<ManagedCategory>([
      { value: 'ADDICT', weight: 60 },
      { value: 'ILLEGAL_USER', weight: 22 },
      { value: 'POST_REHAB', weight: 13 },
      { value: 'RELEASED_AFTER_SENTENCE', weight: 5 },
    ]);
    const openedOn = dayBetween(f, `${year - 4}-01-01`, `${year}-12-31`);
    const closedOn = f.number.float() < 0.12 ? dayBetween(f, openedOn, `${year}-12-31`) : null;
    managed.push({ citizenId: p.citizenId, communeCode: p.communeCode, category, openedOn, closedOn, opioid: f.number.float() < 0.85 });
  }

  // Treatment starts after the file is opened and early enough to be dosed in the data year.
  const opioidAddicts = managed.filter((m) => m.category === 'ADDICT' && m.opioid && !m.closedOn && m.openedOn <= `${year}-10-31`);
  const methadone: SyntheticMethadonePatient[] = f.helpers
    .arrayElements(opioidAddicts, Math.min(opioidAddicts.length, n(BASE_COUNTS.methadone * profile.burden)))
    .map((m) => {
      const startedOn = dayBetween(f, m.openedOn > `${year - 3}-01-01` ? m.openedOn : `${year - 3}-01-01`, `${year}-10-31`);
      const droppedOn = f.number.float() < 0.1 ? dayBetween(f, startedOn > `${year}-01-01` ? startedOn : `${year}-01-01`, `${year}-12-31`) : null;
      return { citizenId: m.citizenId, communeCode: m.communeCode, startedOn, droppedOn };
    });

  const cases: SyntheticCase[] = [];
  for (const y of [year - 1, year]) {
    for (let i = 0; i < perYear(BASE_COUNTS.casesPerYear * profile.burden, y); i++) {
      const communeCode = f.helpers.arrayElement(communeCodes);
      const count = f.helpers.weightedArrayElement([{ value: 1, weight: 60 }, { value: 2, weight: 25 }, { value: 3, weight: 15 }]);
      const suspects: SyntheticCase['suspects'] = [];
      for (let s = 0; s < count; s++) {
        const known = f.number.float() < 0.4;
        const citizenId = known ? f.helpers.arrayElement(managed).citizenId : newPerson(communeCode).citizenId;
        if (suspects.some((x) => x.citizenId === citizenId)) continue;
        suspects.push({ citizenId, role: count === 1 ? 'OFFENDER' : s === 0 ? 'LEADER' : 'ACCOMPLICE' });
      }
      cases.push({
        id: `VA-${y}-${serial(i)}`,
        communeCode,
        reportedOn: dayBetween(f, `${y}-01-01`, `${y}-12-31`),
        substanceCodes: f.helpers.arrayElements([...SUBSTANCE_CODES], { min: 1, max: 2 }),
        suspects,
      });
    }
  }

  const border = communes.filter((c) => c.border).map((c) => c.code);
  const seizures: SyntheticSeizure[] = [];
  for (const y of [year - 1, year]) {
    for (let i = 0; i < perYear(BASE_COUNTS.seizuresPerYear * profile.burden, y); i++) {
      const seizedOn = dayBetween(f, `${y}-01-01`, `${y}-12-31`);
      const yearCases = cases.filter((c) => c.reportedOn.startsWith(String(y)));
      const handedOver = f.number.float() < 0.3 ? f.helpers.arrayElement(yearCases) : null;
      const suspectIds = handedOver
        ? handedOver.suspects.map((s) => s.citizenId)
        : f.number.float() < 0.5 ? [newPerson().citizenId] : [];
      seizures.push({
        id: `TG-${y}-${serial(i)}`,
        communeCode: f.helpers.arrayElement(border.length ? border : communeCodes),
        seizedOn: handedOver && handedOver.reportedOn < seizedOn ? handedOver.reportedOn : seizedOn,
        handedOverCaseId: handedOver?.id ?? null,
        suspectIds,
        substanceCodes: handedOver?.substanceCodes ?? f.helpers.arrayElements([...SUBSTANCE_CODES], { min: 1, max: 2 }),
      });
    }
  }

  const legalAid: SyntheticLegalAid[] = [];
  const suspectsWithCase = cases.flatMap((c) => c.suspects.map((s) => ({ citizenId: s.citizenId, c })));
  for (let i = 0; i < n(BASE_COUNTS.legalAid * profile.burden); i++) {
    const aboutCase = f.number.float() < 0.6;
    const pick = aboutCase ? f.helpers.arrayElement(suspectsWithCase) : null;
    const citizenId = pick ? pick.citizenId : f.helpers.arrayElement(managed).citizenId;
    const person = persons.find((p) => p.citizenId === citizenId)!;
    const from = pick ? pick.c.reportedOn : `${year}-01-01`;
    legalAid.push({
      id: `TGPL-${serial(i)}`,
      citizenId,
      communeCode: person.communeCode,
      receivedOn: from > `${year}-12-31` ? from : dayBetween(f, from, addDays(`${year}-12-31`, 0)),
      drugCaseId: pick?.c.id ?? null,
    });
  }

  return {
    // Agency streams differ between provinces seeded together.
    seed: named ? seed + Number(profile.code) * 1000 : seed,
    profile,
    scale,
    year,
    province: { code: profile.code, name: profile.name },
    communes,
    persons,
    managed,
    methadone,
    cases,
    seizures,
    legalAid,
  };
}
