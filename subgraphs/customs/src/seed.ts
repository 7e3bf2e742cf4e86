import { addDays, dayBetween, insertInChunks, rngFor, type Em, type Progress, type SeedCounts, type SyntheticCommune, type SyntheticProvince } from '@pcmt/kit';
import { kgEquivalent } from './calculations.js';
import {
  BorderGate,
  BorderGateKind,
  Conveyance,
  PRECURSOR_CODES,
  PrecursorDirection,
  PrecursorLicence,
  PrecursorViolation,
  PrecursorViolationKind,
  QuantityUnit,
  SeizedItem,
  Seizure,
  SeizureSuspect,
  SeizingAgency,
  SmuggleRoute,
  type PrecursorCode,
} from './entities.js';
import { ROUTE_CONVEYANCES, ROUTE_GATES } from './writes.js';

type Faker = ReturnType<typeof rngFor>;

// Kept importable from here: older callers and tests use it.
export { kgEquivalent };

/** Kinds of the gates placed in border communes, in order; a postal hub is added after them. */
const GATE_KINDS = [
  BorderGateKind.LAND_GATE,
  BorderGateKind.LAND_GATE,
  BorderGateKind.TRAIL,
  BorderGateKind.LAND_GATE,
  BorderGateKind.TRAIL,
  BorderGateKind.SEAPORT,
];

const GATE_PREFIX: Record<BorderGateKind, string> = {
  LAND_GATE: 'CK',
  TRAIL: 'LM',
  SEAPORT: 'CB',
  AIRPORT: 'SB',
  POSTAL_HUB: 'BC',
};

const GATE_NAME: Record<BorderGateKind, string> = {
  LAND_GATE: 'Cửa khẩu',
  TRAIL: 'Lối mở',
  SEAPORT: 'Cảng',
  AIRPORT: 'Cảng hàng không',
  POSTAL_HUB: 'Bưu cục ngoại dịch',
};

const CONCEALMENT: Record<SmuggleRoute, string[]> = {
  LAND_BORDER: [
    'Giấu trong thùng xe tải chở nông sản',
    'Cất giấu trong người',
    'Giấu trong balo, gùi đi bộ qua đường mòn',
    'Giấu trong khoang chế trên xe khách',
    'Ngụy trang trong gói trà',
  ],
  SEA: ['Giấu trong khoang tàu cá', 'Giấu trong container hàng nhập khẩu', 'Giấu trong két nước tàu'],
  AIR: ['Giấu trong hành lý ký gửi', 'Giấu trong hành lý xách tay', 'Nuốt vào bụng'],
  POSTAL_EXPRESS: ['Ngụy trang trong bưu phẩm quần áo', 'Giấu trong hộp mỹ phẩm', 'Giấu trong loa, đồ điện tử gửi chuyển phát nhanh'],
};

const ORIGIN: Record<SmuggleRoute, Array<{ value: string; weight: number }>> = {
  LAND_BORDER: [{ value: 'CN', weight: 50 }, { value: 'LA', weight: 35 }, { value: 'KH', weight: 10 }, { value: 'MM', weight: 5 }],
  SEA: [{ value: 'KH', weight: 40 }, { value: 'TH', weight: 30 }, { value: 'MY', weight: 20 }, { value: 'CN', weight: 10 }],
  AIR: [{ value: 'DE', weight: 30 }, { value: 'FR', weight: 25 }, { value: 'NL', weight: 25 }, { value: 'MY', weight: 20 }],
  POSTAL_EXPRESS: [{ value: 'DE', weight: 35 }, { value: 'NL', weight: 25 }, { value: 'US', weight: 20 }, { value: 'CA', weight: 10 }, { value: 'FR', weight: 10 }],
};

/** The conveyance a concealment implies; concealments not listed allow any conveyance of the route. */
const CONCEALMENT_CONVEYANCE: Record<string, Conveyance[]> = {
  'Giấu trong thùng xe tải chở nông sản': [Conveyance.TRUCK],
  'Cất giấu trong người': [Conveyance.ON_FOOT, Conveyance.MOTORBIKE],
  'Giấu trong balo, gùi đi bộ qua đường mòn': [Conveyance.ON_FOOT],
  'Giấu trong khoang chế trên xe khách': [Conveyance.CAR],
  'Giấu trong khoang tàu cá': [Conveyance.BOAT],
  'Giấu trong két nước tàu': [Conveyance.BOAT],
};

/**
 * Where drugs seized on each route were bound when not for Vietnam (a corridor): Golden Triangle
 * drugs on to China over land, on to Australia and North-East Asia by sea and air.
 */
const ONWARD: Record<SmuggleRoute, { share: number; to: string[] }> = {
  LAND_BORDER: { share: 0.2, to: ['CN'] },
  SEA: { share: 0.25, to: ['AU', 'JP', 'KR', 'TW'] },
  AIR: { share: 0.15, to: ['AU', 'JP', 'KR'] },
  POSTAL_EXPRESS: { share: 0, to: [] },
};

/** Countries drugs pass through on each route before reaching the border. */
const TRANSIT: Record<SmuggleRoute, { share: number; via: string[] }> = {
  LAND_BORDER: { share: 0.3, via: ['LA', 'KH'] },
  SEA: { share: 0.2, via: ['MY', 'SG', 'TH'] },
  AIR: { share: 0.5, via: ['AE', 'SG', 'MY', 'TH'] },
  POSTAL_EXPRESS: { share: 0.2, via: ['DE', 'NL', 'SG'] },
};

/** Companies that import and export precursors: pharmaceutical makers (ephedrines) and chemical traders. */
const COMPANIES = [
  'Công ty CP Dược phẩm Trung ương An Khang',
  'Công ty TNHH Dược phẩm Minh Tâm',
  'Công ty CP Dược Hòa Bình',
  'Công ty TNHH Hóa chất Việt Hưng',
  'Công ty CP Hóa chất Công nghiệp Phú Thịnh',
  'Công ty TNHH Thương mại Hóa chất Đông Á',
  'Công ty TNHH Hương liệu Thanh Xuân',
  'Công ty CP Xuất nhập khẩu Tân Lạc',
];
/** Companies with no precursor licence at all, caught trading anyway. */
const UNLICENSED = ['Công ty TNHH Thương mại Quang Long', 'Hộ kinh doanh Nguyễn Văn Sơn', 'Công ty TNHH Vận tải Kim Ngọc'];

const PRECURSOR_KG: Record<PrecursorCode, { min: number; max: number }> = {
  EPHEDRINE: { min: 5, max: 300 },
  PSEUDOEPHEDRINE: { min: 10, max: 800 },
  ACETIC_ANHYDRIDE: { min: 1000, max: 40000 },
  SAFROLE: { min: 20, max: 2000 },
};

/** Ephedrines are pharmaceutical precursors (licensed by the health ministry's drug agency), the others industrial (trade ministry). */
const LICENSER: Record<PrecursorCode, string> = { EPHEDRINE: 'QLD', PSEUDOEPHEDRINE: 'QLD', ACETIC_ANHYDRIDE: 'BCT', SAFROLE: 'BCT' };

/** How each substance is usually recorded, and the range seized in one item. */
const FORMS: Record<string, Array<{ unit: QuantityUnit; min: number; max: number }>> = {
  HEROIN: [{ unit: QuantityUnit.GRAM, min: 5, max: 3500 }],
  METHAMPHETAMINE: [
    { unit: QuantityUnit.GRAM, min: 10, max: 5000 },
    { unit: QuantityUnit.TABLET, min: 200, max: 60000 },
  ],
  MDMA: [{ unit: QuantityUnit.TABLET, min: 50, max: 20000 }],
  KETAMINE: [{ unit: QuantityUnit.GRAM, min: 5, max: 2000 }],
  CANNABIS: [{ unit: QuantityUnit.KILOGRAM, min: 0.5, max: 60 }],
  OPIUM: [{ unit: QuantityUnit.GRAM, min: 50, max: 8000 }],
  COCAINE: [{ unit: QuantityUnit.GRAM, min: 5, max: 1500 }],
  NPS: [
    { unit: QuantityUnit.GRAM, min: 5, max: 1000 },
    { unit: QuantityUnit.MILLILITRE, min: 100, max: 20000 },
  ],
  N2O: [{ unit: QuantityUnit.KILOGRAM, min: 2, max: 80 }],
};

/** ASCII initials of a commune name, e.g. 'Tân Lạc' → 'TL'. */
function initials(name: string): string {
  return name
    .replace(/[đĐ]/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/\s+/)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

function makeGates(communes: SyntheticCommune[], where: SyntheticProvince['profile']) {
  const border = communes.filter((c) => c.border);
  const at = border.length ? border : communes;
  const used = new Set<string>();
  const gate = (id: number, kind: BorderGateKind, c: SyntheticCommune) => {
    // Named provinces seeded together: the province's initials keep gate codes apart (CK-LS-TL).
    const base = `${GATE_PREFIX[kind]}-${where.serial ? `${initials(where.name)}-` : ''}${initials(c.name)}`;
    let code = base;
    for (let n = 2; used.has(code); n++) code = `${base}${n}`;
    used.add(code);
    const suffix = code === base ? '' : ` ${code.slice(base.length)}`;
    return { id, code, name: `${GATE_NAME[kind]} ${c.name}${suffix}`, kind, communeCode: c.code };
  };
  // Gates the province's geography has (no land gate without a land border, no seaport inland); ids apart per province.
  const kinds = [...GATE_KINDS.filter((k) => (k === BorderGateKind.SEAPORT ? where.coastal : where.landBorder)), ...(where.airport && where.serial > 0 ? [BorderGateKind.AIRPORT] : [])];
  const first = where.serial * 100;
  const gates = kinds.map((kind, i) => gate(first + i + 1, kind, at[i % at.length]));
  // The international postal exchange sits in the first border commune, beside its main gate.
  gates.push(gate(first + gates.length + 1, BorderGateKind.POSTAL_HUB, at[0]));
  return gates;
}

function pickRoute(f: Faker, where: SyntheticProvince['profile']): SmuggleRoute {
  const routes = [
    { value: SmuggleRoute.LAND_BORDER, weight: 70 },
    { value: SmuggleRoute.POSTAL_EXPRESS, weight: 15 },
    { value: SmuggleRoute.SEA, weight: where.landBorder ? 10 : 60 },
    { value: SmuggleRoute.AIR, weight: 5 },
  ];
  const has = { LAND_BORDER: where.landBorder, SEA: where.coastal, AIR: where.airport, POSTAL_EXPRESS: true };
  return f.helpers.weightedArrayElement(routes.filter((r) => has[r.value]));
}

function pickAgency(f: Faker, route: SmuggleRoute, gate: { kind: BorderGateKind } | null): SeizingAgency {
  if (route === SmuggleRoute.SEA) return f.number.float() < 0.6 ? SeizingAgency.COAST_GUARD : SeizingAgency.CUSTOMS;
  // The border guard records its own seizures in its own subgraph (border-guard): customs never
  // seeds one as BORDER_GUARD, or d1 and the border share would count it twice. The draw stays so
  // that the columns after it keep their values.
  if (route === SmuggleRoute.LAND_BORDER) void (gate?.kind === BorderGateKind.LAND_GATE && f.number.float());
  return SeizingAgency.CUSTOMS;
}

/** Writes the customs part of the synthetic province: gates, one seizure per backbone seizure, items and suspects. */
export async function seedCustoms(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'customs');
  const gates = makeGates(p.communes, p.profile);
  await insertInChunks(em, BorderGate, gates, 500, (d) => progress('border gates', d, gates.length));

  // New columns draw from their own stream, so the columns seeded before them keep their values.
  const g = rngFor(p.seed, 'customs-routes');
  const reportedOn = new Map(p.cases.map((c) => [c.id, c.reportedOn]));
  const seizures = p.seizures.map((s) => {
    const route = pickRoute(f, p.profile);
    // Parcels for the whole province are screened at the one postal hub; other gates only serve their commune.
    const candidates = gates.filter((g) => ROUTE_GATES[route].includes(g.kind) && (g.kind === BorderGateKind.POSTAL_HUB || g.communeCode === s.communeCode));
    // Some are caught on patrol or inland, not at a gate.
    const gate = candidates.length && f.number.float() < 0.8 ? f.helpers.arrayElement(candidates) : null;
    const agency = pickAgency(f, route, gate);
    const concealment = f.helpers.arrayElement(CONCEALMENT[route]);
    const originCountry = f.helpers.weightedArrayElement(ORIGIN[route]);
    const onward = ONWARD[route].to.filter((c) => c !== originCountry);
    const destinationCountry = onward.length && g.number.float() < ONWARD[route].share ? g.helpers.arrayElement(onward) : 'VN';
    const via = TRANSIT[route].via.filter((c) => c !== originCountry && c !== destinationCountry);
    const transitCountry = via.length && g.number.float() < TRANSIT[route].share ? g.helpers.arrayElement(via) : null;
    const conveyance = g.helpers.arrayElement(CONCEALMENT_CONVEYANCE[concealment] ?? [...ROUTE_CONVEYANCES[route]]);
    // Handed over within a week, and no later than the day police recorded the case (never before the seizure: the backbone sees to that).
    const caseDay = s.handedOverCaseId ? reportedOn.get(s.handedOverCaseId) : undefined;
    const within = addDays(s.seizedOn, g.number.int({ min: 0, max: 7 }));
    const handedOverOn = s.handedOverCaseId ? (caseDay && caseDay < within ? caseDay : within) : null;
    return {
      id: s.id,
      seizedOn: s.seizedOn,
      communeCode: s.communeCode,
      agency,
      gate: (gate?.id ?? null) as any,
      route,
      concealment,
      originCountry,
      transitCountry,
      destinationCountry,
      conveyance,
      drugCaseId: s.handedOverCaseId,
      handedOverOn,
    };
  });
  await insertInChunks(em, Seizure, seizures, 500, (d) => progress('seizures', d, seizures.length));

  const items = p.seizures.flatMap((s) =>
    s.substanceCodes.map((code) => {
      const form = f.helpers.arrayElement(FORMS[code] ?? [{ unit: QuantityUnit.GRAM, min: 1, max: 1000 }]);
      // Skewed towards small seizures: most are grams, a few are the big ones.
      const share = f.number.float() ** 3;
      const raw = form.min + share * (form.max - form.min);
      const quantity = form.unit === QuantityUnit.TABLET ? Math.round(raw) : Math.round(raw * 100) / 100;
      return { seizure: s.id as any, substanceCode: code, quantity, unit: form.unit, kgEquivalent: kgEquivalent(code, quantity, form.unit) };
    }),
  );
  await insertInChunks(em, SeizedItem, items, 500, (d) => progress('seized items', d, items.length));

  const suspects = p.seizures.flatMap((s) => [...new Set(s.suspectIds)].map((citizenId) => ({ seizure: s.id as any, citizenId })));
  await insertInChunks(em, SeizureSuspect, suspects, 500, (d) => progress('seizure suspects', d, suspects.length));

  const { licences, violations } = precursorControl(p, gates);
  // No explicit ids: PostgreSQL's sequence would not move past them and the next registered licence would collide.
  await insertInChunks(em, PrecursorLicence, licences, 500, (d) => progress('precursor licences', d, licences.length));
  const idOf = new Map((await em.find(PrecursorLicence, { licenceNo: { $in: licences.map((l) => l.licenceNo) } }, { fields: ['id', 'licenceNo'] })).map((l) => [l.licenceNo, l.id]));
  const violationRows = violations.map(({ licenceNo, ...v }) => ({ ...v, licence: (licenceNo ? idOf.get(licenceNo) : null) as any }));
  await insertInChunks(em, PrecursorViolation, violationRows, 500, (d) => progress('precursor violations', d, violations.length));

  return {
    border_gate: gates.length,
    seizure: seizures.length,
    seized_item: items.length,
    seizure_suspect: suspects.length,
    precursor_licence: licences.length,
    precursor_violation: violations.length,
  };
}

/**
 * ~20 precursor licences and ~8 violations at scale 1, over the year before and the data year;
 * violations are found at the province's gates and are consistent with the licence they name.
 */
export function precursorControl(p: SyntheticProvince, gates: Array<{ communeCode: string }>) {
  const f = rngFor(p.seed, 'customs-precursors');
  const yearEnd = `${p.year}-12-31`;
  const licences = Array.from({ length: Math.max(4, Math.round(20 * p.scale)) }, (_, i) => {
    const direction = f.number.float() < 0.85 ? PrecursorDirection.IMPORT : PrecursorDirection.EXPORT;
    const substanceCode = f.helpers.weightedArrayElement<PrecursorCode>([
      { value: 'PSEUDOEPHEDRINE', weight: 35 },
      { value: 'EPHEDRINE', weight: 25 },
      { value: 'ACETIC_ANHYDRIDE', weight: 25 },
      { value: 'SAFROLE', weight: 15 },
    ]);
    const { min, max } = PRECURSOR_KG[substanceCode];
    const validFrom = dayBetween(f, `${p.year - 1}-01-01`, `${p.year}-10-31`);
    // Licences run for six months or a year.
    const validTo = addDays(validFrom, f.helpers.arrayElement([181, 364]));
    const company = substanceCode === 'EPHEDRINE' || substanceCode === 'PSEUDOEPHEDRINE' ? f.helpers.arrayElement(COMPANIES.slice(0, 3)) : f.helpers.arrayElement(COMPANIES.slice(3));
    return {
      licenceNo: `${String(p.profile.serial * 1000 + i + 1).padStart(4, '0')}/${validFrom.slice(0, 4)}/GP${direction === PrecursorDirection.IMPORT ? 'NK' : 'XK'}-${LICENSER[substanceCode]}`,
      company,
      direction,
      substanceCode,
      quantityKg: Math.round(f.number.float({ min, max }) * 10) / 10,
      validFrom,
      validTo,
    };
  });

  const places = [...new Set(gates.map((gate) => gate.communeCode))];
  const violations = Array.from({ length: Math.max(2, Math.round(8 * p.scale)) }, () => {
    let kind = f.helpers.weightedArrayElement([
      { value: PrecursorViolationKind.NO_LICENCE, weight: 35 },
      { value: PrecursorViolationKind.EXCEEDS_LICENCE, weight: 25 },
      { value: PrecursorViolationKind.FALSE_DECLARATION, weight: 25 },
      { value: PrecursorViolationKind.EXPIRED_LICENCE, weight: 15 },
    ]);
    const communeCode = f.helpers.arrayElement(places);
    // An expired licence is only caught after it ran out, inside the data years.
    const usable = kind === PrecursorViolationKind.EXPIRED_LICENCE ? licences.filter((l) => l.validTo < yearEnd) : licences;
    if (kind !== PrecursorViolationKind.NO_LICENCE && usable.length === 0) kind = PrecursorViolationKind.NO_LICENCE;
    if (kind === PrecursorViolationKind.NO_LICENCE) {
      const substanceCode = f.helpers.arrayElement([...PRECURSOR_CODES]);
      const { min, max } = PRECURSOR_KG[substanceCode];
      return {
        licenceNo: null as string | null,
        company: f.helpers.arrayElement(UNLICENSED),
        substanceCode,
        quantityKg: Math.round(f.number.float({ min: min / 10, max: max / 4 }) * 10) / 10,
        detectedOn: dayBetween(f, `${p.year - 1}-01-01`, yearEnd),
        communeCode,
        kind,
      };
    }
    const licence = f.helpers.arrayElement(usable);
    const detectedOn =
      kind === PrecursorViolationKind.EXPIRED_LICENCE
        ? dayBetween(f, addDays(licence.validTo, 1), addDays(licence.validTo, 90) < yearEnd ? addDays(licence.validTo, 90) : yearEnd)
        : dayBetween(f, licence.validFrom, licence.validTo < yearEnd ? licence.validTo : yearEnd);
    // A shipment over the licence is 10–50 % more than it allows; others are a part of it.
    const share = kind === PrecursorViolationKind.EXCEEDS_LICENCE ? f.number.float({ min: 1.1, max: 1.5 }) : f.number.float({ min: 0.1, max: 0.6 });
    return {
      licenceNo: licence.licenceNo as string | null,
      company: licence.company,
      substanceCode: licence.substanceCode,
      quantityKg: Math.round(licence.quantityKg * share * 10) / 10,
      detectedOn,
      communeCode,
      kind,
    };
  });
  return { licences, violations };
}
