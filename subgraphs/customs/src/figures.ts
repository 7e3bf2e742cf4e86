import { defineFigures, lastYear, LocalDate } from '@pcmt/kit';
import { Float } from 'type-graphql';
import { PrecursorViolation, SeizedItem, Seizure, SmuggleRoute } from './entities.js';

const seizures = { entity: Seizure, period: 'seizedOn' } as const;

/** The customs figures of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures('customs', {
  borderSeizures: {
    ...seizures,
    description:
      'Số vụ bắt giữ tại biên giới: seizures made in the period (by seizure day) by customs, the border guard or the coast guard. Every seizure of this subgraph counts as made at the border: it is the numerator of the border-share indicator (seizures at the border ÷ all seizures in the province).',
  },
  // The kilograms are on the items; the commune and the day on their seizure.
  borderSeizedKg: {
    entity: SeizedItem,
    aggregate: { sum: 'kgEquivalent' },
    type: Float,
    period: 'seizure.seizedOn',
    description:
      'Kilograms seized at the border in the period (by seizure day): the kg-equivalent of the items of borderSeizures, converted like UNODC (tablets by typical weight, 1 ml ≈ 1 g).',
  },
  seaRouteSeizures: {
    ...seizures,
    where: { route: SmuggleRoute.SEA },
    description: 'Seizures on the sea route (tuyến biển, route SEA) made in the period, by seizure day; part of borderSeizures.',
  },
  postalExpressSeizures: {
    ...seizures,
    where: { route: SmuggleRoute.POSTAL_EXPRESS },
    description: 'Seizures in postal or express-delivery parcels (bưu chính, chuyển phát nhanh; route POSTAL_EXPRESS) made in the period, by seizure day; part of borderSeizures.',
  },
  seizuresHandedOver: {
    ...seizures,
    where: { drugCaseId: { $ne: null } },
    description:
      'Seizures made in the period (by seizure day) that have been handed over to a police case (đã bàn giao), whenever the hand-over was: the part of borderSeizures that police also count as a case.',
  },
  // Indicator d counts every agency's detections once: a seizure handed over to a police case is a police case.
  seaRouteSeizuresNotHandedOver: {
    ...seizures,
    where: { route: SmuggleRoute.SEA, drugCaseId: null },
    description: 'Seizures on the sea route made in the period that have not been handed over to a police case (indicator d1: counted here, not twice)',
  },
  postalExpressSeizuresNotHandedOver: {
    ...seizures,
    where: { route: SmuggleRoute.POSTAL_EXPRESS, drugCaseId: null },
    description: 'Seizures in postal or express parcels made in the period that have not been handed over to a police case (indicator d1: counted here, not twice)',
  },
  ...lastYear(['seaRouteSeizuresNotHandedOver', 'postalExpressSeizuresNotHandedOver']),
  landBorderSeizedKg: {
    entity: SeizedItem,
    aggregate: { sum: 'kgEquivalent' },
    type: Float,
    period: 'seizure.seizedOn',
    where: { seizure: { route: SmuggleRoute.LAND_BORDER } },
    description: 'Kilograms seized on the land border (tuyến biên giới đất liền) in the period, by seizure day: the numerator of the border-share indicator (001)',
  },
  seizedKgNotHandedOver: {
    entity: SeizedItem,
    aggregate: { sum: 'kgEquivalent' },
    type: Float,
    period: 'seizure.seizedOn',
    where: { seizure: { drugCaseId: null } },
    description: 'Kilograms seized in the period by seizures not handed over to a police case: with the police cases\' kilograms, every seizure in the province once',
  },
  customsSeizuresThrough: {
    entity: Seizure,
    aggregate: { max: 'seizedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu gần nhất: the latest seizure day recorded in the place, whatever the period; periods that start after it have no customs data yet',
  },
  customsSeizuresSince: {
    entity: Seizure,
    aggregate: { min: 'seizedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu đầu tiên: the earliest seizure day recorded in the place; periods that end before it have no customs data',
  },
  precursorViolations: {
    entity: PrecursorViolation,
    period: 'detectedOn',
    description: 'Precursor-chemical violations (vi phạm về tiền chất) found in import/export control in the period, by detection day.',
  },
});
