import { insertInChunks, rngFor, type Em, type Progress, type SeedCounts, type SyntheticCommune, type SyntheticProvince } from '@pcmt/kit';
import { BorderGate, BorderGateKind, QuantityUnit, SeizedItem, Seizure, SeizureSuspect, SeizingAgency, SmuggleRoute } from './entities.js';

type Faker = ReturnType<typeof rngFor>;

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

/** Gate kinds a route can pass through. */
const ROUTE_GATES: Record<SmuggleRoute, BorderGateKind[]> = {
  LAND_BORDER: [BorderGateKind.LAND_GATE, BorderGateKind.TRAIL],
  SEA: [BorderGateKind.SEAPORT],
  AIR: [BorderGateKind.AIRPORT],
  POSTAL_EXPRESS: [BorderGateKind.POSTAL_HUB],
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

/** Kilograms per tablet: yaba (methamphetamine) tablets weigh about 0.1 g, others the UNODC default 0.3 g. */
const TABLET_KG: Record<string, number> = { METHAMPHETAMINE: 0.0001 };
const DEFAULT_TABLET_KG = 0.0003;

/** Quantity in kilograms as UNODC aggregates seizures: tablets by typical weight, 1 ml ≈ 1 g. */
export function kgEquivalent(substanceCode: string, quantity: number, unit: QuantityUnit): number {
  const kg =
    unit === QuantityUnit.KILOGRAM ? quantity
    : unit === QuantityUnit.TABLET ? quantity * (TABLET_KG[substanceCode] ?? DEFAULT_TABLET_KG)
    : quantity / 1000; // GRAM and MILLILITRE
  return Math.round(kg * 1e6) / 1e6;
}

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

function makeGates(communes: SyntheticCommune[]) {
  const border = communes.filter((c) => c.border);
  const at = border.length ? border : communes;
  const used = new Set<string>();
  const gate = (id: number, kind: BorderGateKind, c: SyntheticCommune) => {
    const base = `${GATE_PREFIX[kind]}-${initials(c.name)}`;
    let code = base;
    for (let n = 2; used.has(code); n++) code = `${base}${n}`;
    used.add(code);
    const suffix = code === base ? '' : ` ${code.slice(base.length)}`;
    return { id, code, name: `${GATE_NAME[kind]} ${c.name}${suffix}`, kind, communeCode: c.code };
  };
  const gates = GATE_KINDS.map((kind, i) => gate(i + 1, kind, at[i % at.length]));
  // The international postal exchange sits in the first border commune, beside its main gate.
  gates.push(gate(gates.length + 1, BorderGateKind.POSTAL_HUB, at[0]));
  return gates;
}

function pickRoute(f: Faker): SmuggleRoute {
  return f.helpers.weightedArrayElement([
    { value: SmuggleRoute.LAND_BORDER, weight: 70 },
    { value: SmuggleRoute.POSTAL_EXPRESS, weight: 15 },
    { value: SmuggleRoute.SEA, weight: 10 },
    { value: SmuggleRoute.AIR, weight: 5 },
  ]);
}

function pickAgency(f: Faker, route: SmuggleRoute, gate: { kind: BorderGateKind } | null): SeizingAgency {
  if (route === SmuggleRoute.SEA) return f.number.float() < 0.6 ? SeizingAgency.COAST_GUARD : SeizingAgency.CUSTOMS;
  if (route === SmuggleRoute.LAND_BORDER) {
    // Customs work at the official gates; away from them the border guard patrols.
    return gate?.kind === BorderGateKind.LAND_GATE && f.number.float() < 0.6 ? SeizingAgency.CUSTOMS : SeizingAgency.BORDER_GUARD;
  }
  return SeizingAgency.CUSTOMS;
}

/** Writes the customs part of the synthetic province: gates, one seizure per backbone seizure, items and suspects. */
export async function seedCustoms(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'customs');
  const gates = makeGates(p.communes);
  await insertInChunks(em, BorderGate, gates, 500, (d) => progress('border gates', d, gates.length));

  const seizures = p.seizures.map((s) => {
    const route = pickRoute(f);
    // Parcels for the whole province are screened at the one postal hub; other gates only serve their commune.
    const candidates = gates.filter((g) => ROUTE_GATES[route].includes(g.kind) && (g.kind === BorderGateKind.POSTAL_HUB || g.communeCode === s.communeCode));
    // Some are caught on patrol or inland, not at a gate.
    const gate = candidates.length && f.number.float() < 0.8 ? f.helpers.arrayElement(candidates) : null;
    return {
      id: s.id,
      seizedOn: s.seizedOn,
      communeCode: s.communeCode,
      agency: pickAgency(f, route, gate),
      gate: (gate?.id ?? null) as any,
      route,
      concealment: f.helpers.arrayElement(CONCEALMENT[route]),
      originCountry: f.helpers.weightedArrayElement(ORIGIN[route]),
      drugCaseId: s.handedOverCaseId,
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

  return { border_gate: gates.length, seizure: seizures.length, seized_item: items.length, seizure_suspect: suspects.length };
}
