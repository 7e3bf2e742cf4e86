import { defineFigures, lastYear, LocalDate, previous, type PeriodBound, type PeriodBounds } from '@pcmt/kit';
import { Float } from 'type-graphql';
import { CaseRoute, CaseSeizedItem, CommuneDrugSituation, CultivationSite, DrugCase, DrugSituationClass, Hotspot, ManagedCategory, ManagementFile, RetailDealer } from './entities.js';

/** Files open on `day` (a date, or a period's last day): opened on or before it and not closed by then. */
export function openOnDay(day: string | PeriodBound): Record<string, unknown> {
  return { openedOn: { $lte: day }, $or: [{ closedOn: null }, { closedOn: { $gt: day } }] };
}

const openAtEnd = (p: PeriodBounds) => openOnDay(p.to);

const classifiedIn = (p: PeriodBounds) => ({ year: p.year });

// Files open on the last day: a year's count is its December's, not the sum of its months.
const managed = {
  entity: ManagementFile,
  smallCell: true,
  atPeriodEnd: true,
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
  // Indicator i2's population: users, addicts and persons after rehab on file, each person once.
  managedCounsellingPopulation: {
    ...managed,
    aggregate: { countDistinct: 'person' },
    description:
      'Người sử dụng, người nghiện, người sau cai nghiện đang được quản lý: distinct persons with an ILLEGAL_USER, ADDICT or POST_REHAB file open on the last day of the period',
    where: (p) => ({ ...openAtEnd(p), category: { $in: [ManagedCategory.ILLEGAL_USER, ManagedCategory.ADDICT, ManagedCategory.POST_REHAB] } }),
  },
  hotspotsDetected: { entity: Hotspot, period: 'detectedOn', description: 'Điểm, tụ điểm ma túy phát hiện: hotspots whose detection date is in the period' },
  hotspotsDismantled: { entity: Hotspot, period: 'dismantledOn', description: 'Điểm, tụ điểm ma túy triệt xóa: hotspots whose latest dismantling date is in the period' },
  // Indicator b as a cohort: of what was detected in the period, what was dismantled by its last day.
  hotspotsDetectedDismantled: {
    entity: Hotspot,
    period: 'detectedOn',
    where: (p) => ({ dismantledOn: { $lte: p.to } }),
    description: 'Điểm, tụ điểm phát hiện trong kỳ đã triệt xóa: hotspots detected in the period whose (latest) dismantling date is on or before its last day',
  },
  retailDealersDetected: { entity: RetailDealer, period: 'detectedOn', description: 'Đối tượng bán lẻ phát hiện: retail dealers whose detection date is in the period' },
  retailDealersDealtWith: {
    entity: RetailDealer,
    period: 'dealtWithOn',
    description: 'Đối tượng bán lẻ đã xử lý: retail dealers arrested, sanctioned or stopped, by the date they were dealt with',
  },
  retailDealersDetectedDealtWith: {
    entity: RetailDealer,
    period: 'detectedOn',
    where: (p) => ({ dealtWithOn: { $lte: p.to } }),
    description: 'Đối tượng bán lẻ phát hiện trong kỳ đã xử lý: retail dealers detected in the period and dealt with on or before its last day',
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
  cultivationAreaDetectedDestroyedM2: {
    ...areas,
    period: 'detectedOn',
    where: (p) => ({ destroyedOn: { $lte: p.to } }),
    description: 'Diện tích phát hiện trong kỳ đã phá bỏ, m²: area of cultivation sites detected in the period and destroyed on or before its last day',
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
  transnationalOrganisedCases: {
    ...cases,
    where: { transnational: true, organised: true },
    description: 'Vụ án do tội phạm có tổ chức, xuyên quốc gia: cases reported in the period flagged both transnational and organised',
  },
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
  // Year-on-year change (indicators a, d, f2): the same period of the previous year.
  ...lastYear(['managedUsers', 'managedAddicts', 'seaRouteCases', 'postalExpressCases', 'transnationalOrganisedCases', 'cyberspaceCases', 'communesWithDrugProblems', 'communesClassified']),
  // Until when police have records for the place: later periods have no data yet.
  policeFilesThrough: {
    entity: ManagementFile,
    aggregate: { max: 'openedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu gần nhất (hồ sơ quản lý): the latest day a management file was opened in the place, whatever the period; periods that start after it have no police data yet',
  },
  policeFilesSince: {
    entity: ManagementFile,
    aggregate: { min: 'openedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu đầu tiên (hồ sơ quản lý): the earliest day a management file was opened in the place; periods that end before it have no police data',
  },
  policeCasesThrough: {
    entity: DrugCase,
    aggregate: { max: 'reportedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu gần nhất (vụ án): the latest report day of a drug case in the place, whatever the period; periods that start after it have no police data yet',
  },
  policeCasesSince: {
    entity: DrugCase,
    aggregate: { min: 'reportedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu đầu tiên (vụ án): the earliest report day of a drug case in the place; periods that end before it have no police data',
  },
  // The previous period of the same length (trends).
  ...previous(['managedUsers', 'managedAddicts', 'seaRouteCases', 'postalExpressCases', 'transnationalCases', 'cyberspaceCases'], { tagOrder: 'reversed' }),
});
