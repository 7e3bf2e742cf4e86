import { defineFigures, seizureFigures, type PeriodBounds } from '@pcmt/kit';
import { AntiDrugOfficer, AntiDrugTeam, BorderGuardSeizedItem, BorderGuardSeizure, BorderRoute } from './entities.js';

// Units and officers are counted as they stood on the period's last day (a register, not events).
const teamsOn = (p: PeriodBounds) => ({ establishedOn: { $lte: p.to } });
const officersOn = (p: PeriodBounds) => ({ joinedOn: { $lte: p.to }, $or: [{ leftOn: null }, { leftOn: { $gt: p.to } }] });

/** The border-guard figures of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures('border-guard', {
  antiDrugTeams: {
    entity: AntiDrugTeam,
    where: teamsOn,
    description: 'Số tổ/đội chuyên trách phòng, chống ma túy của Bộ đội Biên phòng: specialised anti-drug units established by the last day of the period.',
  },
  antiDrugTeamsEquipped: {
    entity: AntiDrugTeam,
    where: (p) => ({ ...teamsOn(p), equippedOn: { $lte: p.to } }),
    description:
      'Số tổ/đội chuyên trách được trang bị vũ khí hiện đại, công cụ hỗ trợ, phương tiện kỹ thuật nghiệp vụ: units of antiDrugTeams fully equipped by the last day of the period (numerator of indicator c of plan 004).',
  },
  antiDrugOfficers: {
    entity: AntiDrugOfficer,
    where: officersOn,
    description: 'Số cán bộ chuyên trách phòng, chống ma túy: officers serving in the specialised units on the last day of the period.',
  },
  antiDrugOfficersEquipped: {
    entity: AntiDrugOfficer,
    where: (p) => ({ ...officersOn(p), equippedOn: { $lte: p.to } }),
    description: 'Số cán bộ chuyên trách được trang bị: officers of antiDrugOfficers issued modern weapons, support tools and technical means by the last day of the period.',
  },
  ...seizureFigures({
    seizure: BorderGuardSeizure,
    item: BorderGuardSeizedItem,
    kgColumn: 'quantityKg',
    prefix: 'borderGuard',
    all: {
      name: 'borderGuardSeizures',
      description: 'Số vụ bắt giữ của Bộ đội Biên phòng: seizures the border guard made in the border area in the period, by seizure day.',
    },
    routes: {
      landBorder: { route: BorderRoute.LAND_BORDER, description: 'Seizures of borderGuardSeizures on the land border (tuyến biên giới đất liền).' },
      seaRoute: {
        route: BorderRoute.SEA,
        description: 'Seizures of borderGuardSeizures on the sea route (tuyến biển).',
        notHandedOver: 'Seizures of borderGuardSeaRouteSeizures not handed over to a police case (indicator d1: counted here, not twice)',
      },
    },
    handedOver: 'Seizures of borderGuardSeizures (made in the period) handed over to a police case (đã bàn giao), whenever the hand-over was.',
    routeKg: {
      landBorder: {
        route: BorderRoute.LAND_BORDER,
        description:
          'Kilograms the border guard seized on the land border (tuyến biên giới đất liền) in the period, by seizure day: part of the numerator of the border-share indicator (001)',
      },
    },
    kgNotHandedOver:
      'Kilograms the border guard seized in the period by seizures not handed over to a police case: with the police cases\' and customs\' kilograms, every seizure in the province once',
    dates: {
      agency: 'borderGuard',
      since: 'Ngày có số liệu đầu tiên: the earliest seizure day the border guard recorded in the place; periods that end before it have no border-guard data',
      through: 'Ngày có số liệu gần nhất: the latest seizure day the border guard recorded in the place; periods that start after it have no border-guard data yet',
    },
  }),
});
