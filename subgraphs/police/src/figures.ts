import { defineFigures, previous, type PeriodBound, type PeriodBounds } from '@pcmt/kit';
import { Float } from 'type-graphql';
import { CaseRoute, CaseSeizedItem, CommuneDrugSituation, CultivationSite, DrugCase, DrugSituationClass, Hotspot, ManagedCategory, ManagementFile, RetailDealer } from './entities.js';

/** Files open on `day` (a date, or a period's last day): opened on or before it and not closed by then. */
export function openOnDay(day: string | PeriodBound): Record<string, unknown> {
  return { openedOn: { $lte: day }, $or: [{ closedOn: null }, { closedOn: { $gt: day } }] };
}

const openAtEnd = (p: PeriodBounds) => openOnDay(p.to);

const classifiedIn = (p: PeriodBounds) => ({ year: p.year });

const managed = {
  entity: ManagementFile,
  smallCell: true,
} as const;

const cases = { entity: DrugCase, period: 'reportedOn' } as const;

const areas = { entity: CultivationSite, aggregate: { sum: 'areaM2' }, type: Float } as const;

/** The police figures of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures('police', {
  managedPersons: {
    ...managed,
    description: 'Người đang được quản lý: management files open on the last day of the period (opened on or before it, not closed by then), every category',
    where: openAtEnd,
  },
  managedUsers: {
    ...managed,
    description: 'Người sử dụng trái phép chất ma túy đang được quản lý: ILLEGAL_USER files open on the last day of the period',
    where: (p) => ({ ...openAtEnd(p), category: ManagedCategory.ILLEGAL_USER }),
  },
  managedAddicts: {
    ...managed,
    description: 'Người nghiện ma túy đang được quản lý: ADDICT files open on the last day of the period',
    where: (p) => ({ ...openAtEnd(p), category: ManagedCategory.ADDICT }),
  },
  hotspotsDetected: { entity: Hotspot, period: 'detectedOn', description: 'Điểm, tụ điểm ma túy phát hiện: hotspots whose detection date is in the period' },
  hotspotsDismantled: { entity: Hotspot, period: 'dismantledOn', description: 'Điểm, tụ điểm ma túy triệt xóa: hotspots whose latest dismantling date is in the period' },
  retailDealersDetected: { entity: RetailDealer, period: 'detectedOn', description: 'Đối tượng bán lẻ phát hiện: retail dealers whose detection date is in the period' },
  retailDealersDealtWith: {
    entity: RetailDealer,
    period: 'dealtWithOn',
    description: 'Đối tượng bán lẻ đã xử lý: retail dealers arrested, sanctioned or stopped, by the date they were dealt with',
  },
  cultivationAreaDetectedM2: {
    ...areas,
    period: 'detectedOn',
    description: 'Diện tích trồng cây có chứa chất ma túy phát hiện, m²: area of cultivation sites whose detection date is in the period',
  },
  cultivationAreaDestroyedM2: {
    ...areas,
    period: 'destroyedOn',
    description: 'Diện tích trồng cây có chứa chất ma túy đã phá bỏ, m²: area of cultivation sites whose destruction date is in the period',
  },
  drugCasesReported: { ...cases, description: 'Vụ án ma túy phát hiện: drug cases whose report date is in the period' },
  seaRouteCases: { ...cases, where: { route: CaseRoute.SEA }, description: 'Vụ án trên tuyến biển: cases reported in the period with route SEA' },
  postalExpressCases: {
    ...cases,
    where: { route: CaseRoute.POSTAL_EXPRESS },
    description: 'Vụ án qua bưu chính, chuyển phát nhanh: cases reported in the period with route POSTAL_EXPRESS',
  },
  transnationalCases: { ...cases, where: { transnational: true }, description: 'Vụ án xuyên quốc gia: cases reported in the period flagged transnational' },
  organisedCases: { ...cases, where: { organised: true }, description: 'Vụ án có tổ chức: cases reported in the period flagged organised (đường dây, ổ nhóm)' },
  cyberspaceCases: {
    ...cases,
    where: { $or: [{ cyberspace: true }, { route: CaseRoute.CYBERSPACE }] },
    description: 'Vụ án trên không gian mạng: cases reported in the period flagged cyberspace or on route CYBERSPACE',
  },
  policeSeizedKg: {
    entity: CaseSeizedItem,
    aggregate: { sum: 'kgEquivalent' },
    type: Float,
    period: 'reportedOn',
    description: 'Ma túy thu giữ (Công an), kg: kg-equivalent of the substances seized in cases reported in the period',
  },
  drugSituation: {
    entity: CommuneDrugSituation,
    // One classification per commune and year (unique), so the largest is the one.
    aggregate: { max: 'classification' },
    type: DrugSituationClass,
    where: classifiedIn,
    on: 'commune',
    description: "Phân loại xã for the period's year; null when the commune was not classified that year",
  },
  communesClassified: { entity: CommuneDrugSituation, where: classifiedIn, on: 'province', description: "Communes of the province classified for the period's year" },
  drugFreeCommunes: {
    entity: CommuneDrugSituation,
    where: (p) => ({ ...classifiedIn(p), classification: DrugSituationClass.DRUG_FREE }),
    on: 'province',
    description: "Xã không có ma túy: communes classified DRUG_FREE for the period's year",
  },
  communesWithDrugProblems: {
    entity: CommuneDrugSituation,
    where: (p) => ({ ...classifiedIn(p), classification: { $in: [DrugSituationClass.HAS_DRUG_PROBLEMS, DrugSituationClass.KEY_HOTSPOT] } }),
    on: 'province',
    description: "Xã có tệ nạn ma túy: communes classified HAS_DRUG_PROBLEMS or KEY_HOTSPOT for the period's year",
  },
  keyHotspotCommunes: {
    entity: CommuneDrugSituation,
    where: (p) => ({ ...classifiedIn(p), classification: DrugSituationClass.KEY_HOTSPOT }),
    on: 'province',
    description: "Xã trọng điểm, phức tạp về ma túy: communes classified KEY_HOTSPOT for the period's year",
  },
  ...previous(['communesWithDrugProblems'], { suffix: ' — previous year' }),
  communesWithAddicts: {
    communesWith: 'managedAddicts',
    description: 'Codes of the communes with at least one ADDICT file open on the last day of the period (indicator e)',
  },
  // The year-on-year indicators compare with these.
  ...previous(['managedUsers', 'managedAddicts', 'seaRouteCases', 'postalExpressCases', 'transnationalCases', 'cyberspaceCases'], { tagOrder: 'reversed' }),
});
