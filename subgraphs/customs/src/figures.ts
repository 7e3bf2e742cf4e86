import { defineFigures, seizureFigures } from '@pcmt/kit';
import { PrecursorViolation, SeizedItem, Seizure, SmuggleRoute } from './entities.js';

/** The customs figures of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures('customs', {
  ...seizureFigures({
    seizure: Seizure,
    item: SeizedItem,
    kgColumn: 'kgEquivalent',
    prefix: '',
    all: {
      name: 'borderSeizures',
      description:
        'Số vụ bắt giữ tại biên giới: seizures made in the period (by seizure day) by customs, the border guard or the coast guard. Every seizure of this subgraph counts as made at the border: it is the numerator of the border-share indicator (seizures at the border ÷ all seizures in the province).',
    },
    allKg: {
      name: 'borderSeizedKg',
      description:
        'Kilograms seized at the border in the period (by seizure day): the kg-equivalent of the items of borderSeizures, converted like UNODC (tablets by typical weight, 1 ml ≈ 1 g).',
    },
    routes: {
      seaRoute: {
        route: SmuggleRoute.SEA,
        description: 'Seizures on the sea route (tuyến biển, route SEA) made in the period, by seizure day; part of borderSeizures.',
        notHandedOver: 'Seizures on the sea route made in the period that have not been handed over to a police case (indicator d1: counted here, not twice)',
      },
      postalExpress: {
        route: SmuggleRoute.POSTAL_EXPRESS,
        description:
          'Seizures in postal or express-delivery parcels (bưu chính, chuyển phát nhanh; route POSTAL_EXPRESS) made in the period, by seizure day; part of borderSeizures.',
        notHandedOver:
          'Seizures in postal or express parcels made in the period that have not been handed over to a police case (indicator d1: counted here, not twice)',
      },
    },
    handedOver:
      'Seizures made in the period (by seizure day) that have been handed over to a police case (đã bàn giao), whenever the hand-over was: the part of borderSeizures that police also count as a case.',
    routeKg: {
      landBorder: {
        route: SmuggleRoute.LAND_BORDER,
        description: 'Kilograms seized on the land border (tuyến biên giới đất liền) in the period, by seizure day: the numerator of the border-share indicator (001)',
      },
    },
    kgNotHandedOver:
      'Kilograms seized in the period by seizures not handed over to a police case: with the police cases\' kilograms, every seizure in the province once',
    dates: {
      agency: 'customs',
      since: 'Ngày có số liệu đầu tiên: the earliest seizure day recorded in the place; periods that end before it have no customs data',
      through: 'Ngày có số liệu gần nhất: the latest seizure day recorded in the place, whatever the period; periods that start after it have no customs data yet',
    },
    throughFirst: true,
  }),
  precursorViolations: {
    entity: PrecursorViolation,
    period: 'detectedOn',
    description: 'Precursor-chemical violations (vi phạm về tiền chất) found in import/export control in the period, by detection day.',
  },
});
