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

export interface SyntheticProvince {
  seed: number;
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

function citizenId(f: Faker, sex: 'MALE' | 'FEMALE', birthYear: number, used: Set<string>): string {
  // CCCD: 3-digit place of birth, 1 digit century+sex, 2-digit birth year, 6 random digits.
  const centurySex = (birthYear >= 2000 ? 2 : 0) + (sex === 'FEMALE' ? 1 : 0);
  for (;;) {
    const id = `004${centurySex}${String(birthYear % 100).padStart(2, '0')}${f.string.numeric(6)}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

export function syntheticProvince(opts: ProvinceOptions = {}): SyntheticProvince {
  const seed = opts.seed ?? 2025;
  const scale = opts.scale ?? 1;
  const year = opts.year ?? 2025;
  if (!(scale > 0) || scale > 100) throw new Error(`scale must be > 0 and <= 100, got ${scale}`);
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  const f = rngFor(seed, 'province');

  const communes: SyntheticCommune[] = [];
  const names = new Set<string>();
  for (let i = 0; i < Math.max(5, n(BASE_COUNTS.communes)); i++) {
    let name: string;
    do name = `${f.helpers.arrayElement(SYLLABLES)} ${f.helpers.arrayElement(SYLLABLES)}`;
    while (names.has(name) || name.split(' ')[0] === name.split(' ')[1]);
    names.add(name);
    const kind = i % 12 === 0 ? 'WARD' : i === 7 ? 'SPECIAL_ZONE' : 'COMMUNE';
    communes.push({ code: String(1000 + i * 3).padStart(5, '0'), name, kind, border: i % 4 === 1, population: f.number.int({ min: 4000, max: 30000 }) });
  }
  const communeCodes = communes.map((c) => c.code);

  const used = new Set<string>();
  const persons: SyntheticPerson[] = [];
  const newPerson = (communeCode = f.helpers.arrayElement(communeCodes)): SyntheticPerson => {
    const sex = f.number.float() < 0.9 ? 'MALE' : 'FEMALE';
    const birthYear = f.number.int({ min: 1960, max: year - 16 });
    const p: SyntheticPerson = {
      citizenId: citizenId(f, sex, birthYear, used),
      fullName: f.person.fullName({ sex: sex === 'MALE' ? 'male' : 'female' }),
      sex,
      birthYear,
      communeCode,
    };
    persons.push(p);
    return p;
  };

  const managed: SyntheticManaged[] = [];
  for (let i = 0; i < n(BASE_COUNTS.managed); i++) {
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
    .arrayElements(opioidAddicts, Math.min(opioidAddicts.length, n(BASE_COUNTS.methadone)))
    .map((m) => {
      const startedOn = dayBetween(f, m.openedOn > `${year - 3}-01-01` ? m.openedOn : `${year - 3}-01-01`, `${year}-10-31`);
      const droppedOn = f.number.float() < 0.1 ? dayBetween(f, startedOn > `${year}-01-01` ? startedOn : `${year}-01-01`, `${year}-12-31`) : null;
      return { citizenId: m.citizenId, communeCode: m.communeCode, startedOn, droppedOn };
    });

  const cases: SyntheticCase[] = [];
  for (const y of [year - 1, year]) {
    for (let i = 0; i < n(BASE_COUNTS.casesPerYear); i++) {
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
        id: `VA-${y}-${String(i + 1).padStart(5, '0')}`,
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
    for (let i = 0; i < n(BASE_COUNTS.seizuresPerYear); i++) {
      const seizedOn = dayBetween(f, `${y}-01-01`, `${y}-12-31`);
      const yearCases = cases.filter((c) => c.reportedOn.startsWith(String(y)));
      const handedOver = f.number.float() < 0.3 ? f.helpers.arrayElement(yearCases) : null;
      const suspectIds = handedOver
        ? handedOver.suspects.map((s) => s.citizenId)
        : f.number.float() < 0.5 ? [newPerson().citizenId] : [];
      seizures.push({
        id: `TG-${y}-${String(i + 1).padStart(5, '0')}`,
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
  for (let i = 0; i < n(BASE_COUNTS.legalAid); i++) {
    const aboutCase = f.number.float() < 0.6;
    const pick = aboutCase ? f.helpers.arrayElement(suspectsWithCase) : null;
    const citizenId = pick ? pick.citizenId : f.helpers.arrayElement(managed).citizenId;
    const person = persons.find((p) => p.citizenId === citizenId)!;
    const from = pick ? pick.c.reportedOn : `${year}-01-01`;
    legalAid.push({
      id: `TGPL-${String(i + 1).padStart(5, '0')}`,
      citizenId,
      communeCode: person.communeCode,
      receivedOn: from > `${year}-12-31` ? from : dayBetween(f, from, addDays(`${year}-12-31`, 0)),
      drugCaseId: pick?.c.id ?? null,
    });
  }

  return {
    seed,
    scale,
    year,
    province: { code: DEMO_PROVINCE_CODE, name: 'Cao Bằng' },
    communes,
    persons,
    managed,
    methadone,
    cases,
    seizures,
    legalAid,
  };
}
