import { Float } from 'type-graphql';
import { lastYear, type Figure, type FigureField } from './figures.js';
import { LocalDate } from './scalars.js';

/** One route's seizure count (and, for indicator d1, the part not handed over to a police case). */
export interface RouteSeizures {
  route: string;
  description: string;
  /** Description of `<prefix><Key>SeizuresNotHandedOver`, with its `…LastYear`; left out when the indicators do not read it. */
  notHandedOver?: string;
}

export interface SeizureFiguresOptions {
  /** The seizure entity: `seizedOn`, `route`, and `drugCaseId` (set once handed over to a police case). */
  seizure: Figure['entity'];
  /** Its item entity, with relation `seizure` and the kilograms in `kgColumn`. */
  item: Figure['entity'];
  kgColumn: string;
  /** Names are `<prefix><Name>` camel-cased: '' gives `seaRouteSeizures`, 'borderGuard' `borderGuardSeaRouteSeizures`. */
  prefix: string;
  /** Every seizure of the period, and optionally the kilograms of all of them. */
  all: { name: string; description: string };
  allKg?: { name: string; description: string };
  /** Seizures per route, keyed by the name part (`seaRoute` → `seaRouteSeizures`), in field order. */
  routes: Record<string, RouteSeizures>;
  /** `<prefix>SeizuresHandedOver`. */
  handedOver: string;
  /** `<prefix><Key>SeizedKg`: kilograms seized on one route. */
  routeKg: Record<string, { route: string; description: string }>;
  /** `<prefix>SeizedKgNotHandedOver`. */
  kgNotHandedOver: string;
  /** `<agency>SeizuresSince` / `…Through`: the first and last seizure day (program: periods outside them have no data). */
  dates: { agency: string; since: string; through: string };
  /** Customs published Through before Since; kept so its SDL stays the same. */
  throughFirst?: boolean;
}

const named = (prefix: string, name: string) => (prefix ? prefix + name[0]!.toUpperCase() + name.slice(1) : name);

/**
 * The seizure figures an agency that seizes at the border publishes (customs, border guard): the
 * same counts, kilograms and data dates over its own seizure and item entities, in one field order.
 */
export function seizureFigures(o: SeizureFiguresOptions): Record<string, FigureField> {
  const seizures = { entity: o.seizure, period: 'seizedOn' };
  // The kilograms are on the items; the commune and the day on their seizure.
  const kg = { entity: o.item, aggregate: { sum: o.kgColumn }, type: Float, period: 'seizure.seizedOn' } as const;
  const out: Record<string, FigureField> = {};
  out[o.all.name] = { ...seizures, description: o.all.description };
  if (o.allKg) out[o.allKg.name] = { ...kg, description: o.allKg.description };
  for (const [key, r] of Object.entries(o.routes)) {
    out[named(o.prefix, `${key}Seizures`)] = { ...seizures, where: { route: r.route }, description: r.description };
  }
  out[named(o.prefix, 'seizuresHandedOver')] = { ...seizures, where: { drugCaseId: { $ne: null } }, description: o.handedOver };
  // Indicators d1 and border count every agency's seizures once: one handed over to a police case is a police case.
  const notHandedOver: string[] = [];
  for (const [key, r] of Object.entries(o.routes)) {
    if (r.notHandedOver === undefined) continue;
    const name = named(o.prefix, `${key}SeizuresNotHandedOver`);
    out[name] = { ...seizures, where: { route: r.route, drugCaseId: null }, description: r.notHandedOver };
    notHandedOver.push(name);
  }
  Object.assign(out, lastYear(notHandedOver));
  for (const [key, r] of Object.entries(o.routeKg)) {
    out[named(o.prefix, `${key}SeizedKg`)] = { ...kg, where: { seizure: { route: r.route } }, description: r.description };
  }
  out[named(o.prefix, 'seizedKgNotHandedOver')] = { ...kg, where: { seizure: { drugCaseId: null } }, description: o.kgNotHandedOver };
  const since: Figure = { entity: o.seizure, aggregate: { min: 'seizedOn' }, type: LocalDate, description: o.dates.since };
  const through: Figure = { entity: o.seizure, aggregate: { max: 'seizedOn' }, type: LocalDate, description: o.dates.through };
  const dates: [string, Figure][] = [
    [`${o.dates.agency}SeizuresSince`, since],
    [`${o.dates.agency}SeizuresThrough`, through],
  ];
  for (const [name, figure] of o.throughFirst ? dates.reverse() : dates) out[name] = figure;
  return out;
}
