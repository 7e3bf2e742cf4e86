/**
 * The programme's indicators (DOMAIN.md "Indicators the graph must answer"): definitions, targets
 * and sources, and how each value is computed from the agencies' figures for one commune or province
 * in one period. Pure functions: the resolvers feed them the figures federation brings in (@requires).
 */
export type Level = 'PROVINCE' | 'COMMUNE';
export type Comparator = 'AT_LEAST' | 'AT_MOST';

export interface Figures {
  [name: string]: number | string[] | null | undefined;
}

export interface Computed {
  value: number;
  numerator: number;
  denominator: number;
}

export interface IndicatorDef {
  id: string;
  nameVi: string;
  nameEn: string;
  /** Numerator and denominator in words. */
  definition: string;
  unit: 'PERCENT' | 'PERCENT_CHANGE';
  comparator: Comparator;
  target: number;
  baseline: number | null;
  baselineYear: number | null;
  deadline: string;
  /** Document and clause the target comes from (shared/seeds). */
  source: string;
  levels: Level[];
  compute(f: Figures): Computed | null;
}

/**
 * The agencies' figures that count persons (tagged `small-cell` where they are published; a schema
 * test keeps this list equal to those tags): an indicator computed from a small one is withheld.
 */
export const PERSON_FIGURES: ReadonlySet<string> = new Set([
  'methadonePatientsInTreatment', 'methadonePatientsRetained', 'personsAssessedAddicted', 'personsCounselled', 'personsInFacilityRehab', 'personsInCommunityRehab',
  'legalAidRequests', 'eligibleLegalAidRequests', 'servedLegalAidRequests', 'refusedEligibleLegalAidRequests', 'completedLegalAidRequests',
  'managedPersons', 'managedUsers', 'managedAddicts', 'managedUsersPrevious', 'managedAddictsPrevious',
]);

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** numerator / denominator in percent; no data when the denominator is 0 or a figure is missing. */
function ratio(num: unknown, den: unknown, cap = Infinity): Computed | null {
  const a = n(num);
  const b = n(den);
  if (a === null || b === null || b <= 0) return null;
  return { value: Math.min(cap, (a / b) * 100), numerator: a, denominator: b };
}

/** Change from the previous period in percent. */
function change(current: unknown, previous: unknown): Computed | null {
  const a = n(current);
  const b = n(previous);
  if (a === null || b === null || b <= 0) return null;
  return { value: ((a - b) / b) * 100, numerator: a - b, denominator: b };
}

const sum = (...v: unknown[]) => (v.every((x) => n(x) !== null) ? v.reduce<number>((s, x) => s + (x as number), 0) : null);

const BOTH: Level[] = ['PROVINCE', 'COMMUNE'];
const PROVINCE: Level[] = ['PROVINCE'];
const PLAN_2030 = '2030-12-31';
const SRC_004 = '004 — Ninh Bình, Kế hoạch thực hiện Chương trình mục tiêu quốc gia PCMT đến năm 2030 (2025), mục II.3';

export const INDICATORS: IndicatorDef[] = [
  {
    id: 'a', nameVi: 'Giảm người sử dụng trái phép và người nghiện ma túy hằng năm', nameEn: 'Users and addicts fall every year',
    definition: 'Change of (illegal users + addicts with an open management file at the period end) against the previous period',
    unit: 'PERCENT_CHANGE', comparator: 'AT_MOST', target: -5, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${SRC_004} a); 000 — Chỉ thị 32-CT/TU Quảng Ninh: giảm 5–10 %/năm`, levels: BOTH,
    compute: (f) => change(sum(f.managedUsers, f.managedAddicts), sum(f.managedUsersPrevious, f.managedAddictsPrevious)),
  },
  {
    id: 'b1', nameVi: 'Phát hiện, triệt xóa điểm, tụ điểm ma túy', nameEn: 'Drug hotspots dismantled',
    definition: 'Hotspots dismantled in the period / hotspots detected in the period', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} b)`, levels: BOTH,
    compute: (f) => ratio(f.hotspotsDismantled, f.hotspotsDetected, 100),
  },
  {
    id: 'b2', nameVi: 'Đấu tranh, xử lý đối tượng bán lẻ trái phép chất ma túy', nameEn: 'Retail dealers dealt with',
    definition: 'Retail dealers dealt with in the period / retail dealers detected in the period', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} b)`, levels: BOTH,
    compute: (f) => ratio(f.retailDealersDealtWith, f.retailDealersDetected, 100),
  },
  {
    id: 'b3', nameVi: 'Phát hiện, triệt phá diện tích trồng cây có chứa chất ma túy', nameEn: 'Illegal cultivation destroyed',
    definition: 'Cultivation area destroyed in the period (m²) / area detected in the period (m²)', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} b)`, levels: BOTH,
    compute: (f) => ratio(f.cultivationAreaDestroyedM2, f.cultivationAreaDetectedM2, 100),
  },
  {
    id: 'd1', nameVi: 'Tăng số vụ phát hiện trên tuyến biển và chuyển phát nhanh', nameEn: 'Sea-route and express-delivery cases rise',
    definition: 'Change of (sea-route + postal/express cases) against the previous period', unit: 'PERCENT_CHANGE', comparator: 'AT_LEAST', target: 3,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} d): tăng 3 %/năm`, levels: BOTH,
    compute: (f) => change(sum(f.seaRouteCases, f.postalExpressCases), sum(f.seaRouteCasesPrevious, f.postalExpressCasesPrevious)),
  },
  {
    id: 'd2', nameVi: 'Tăng số vụ phát hiện do tội phạm có tổ chức xuyên quốc gia', nameEn: 'Transnational organised cases rise',
    definition: 'Change of transnational cases against the previous period', unit: 'PERCENT_CHANGE', comparator: 'AT_LEAST', target: 3,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} d): tăng 3 %/năm`, levels: BOTH,
    compute: (f) => change(f.transnationalCases, f.transnationalCasesPrevious),
  },
  {
    id: 'd3', nameVi: 'Tăng số vụ phát hiện trên không gian mạng', nameEn: 'Cyberspace cases rise',
    definition: 'Change of cyberspace cases against the previous period', unit: 'PERCENT_CHANGE', comparator: 'AT_LEAST', target: 5,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} d): tăng 5 %/năm`, levels: BOTH,
    compute: (f) => change(f.cyberspaceCases, f.cyberspaceCasesPrevious),
  },
  {
    id: 'dd1', nameVi: 'Trạm y tế xã đủ điều kiện xác định tình trạng nghiện', nameEn: 'Commune health stations able to assess addiction',
    definition: 'Commune health stations able to assess addiction / commune health stations', unit: 'PERCENT', comparator: 'AT_LEAST', target: 80,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} đ): trên 80 %`, levels: BOTH,
    compute: (f) => ratio(f.healthStationsAbleToAssess, f.healthStations),
  },
  {
    id: 'dd2', nameVi: 'Cơ sở cai nghiện công lập đủ điều kiện xác định tình trạng nghiện', nameEn: 'Public rehab facilities able to assess addiction',
    definition: 'Public rehab facilities able to assess addiction / public rehab facilities', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} đ): 100 %`, levels: PROVINCE,
    compute: (f) => ratio(f.publicRehabFacilitiesAbleToAssess, f.publicRehabFacilities),
  },
  {
    id: 'e', nameVi: 'Xã có người nghiện có điểm tiếp nhận, tư vấn cai nghiện', nameEn: 'Communes with addicts that have a rehab reception point',
    definition: 'Communes with addicts (police files) that have a community rehab reception/counselling point (health) / communes with addicts',
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 70, baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} e): trên 70 %`, levels: PROVINCE,
    compute: (f) => {
      const withAddicts = f.communesWithAddicts;
      const withPoint = f.communesWithRehabReceptionPoint;
      if (!Array.isArray(withAddicts) || !Array.isArray(withPoint)) return null;
      const points = new Set(withPoint);
      return ratio(withAddicts.filter((c) => points.has(c)).length, withAddicts.length);
    },
  },
  {
    id: 'g1', nameVi: 'Trường học được tuyên truyền, giáo dục PCMT', nameEn: 'Schools reached by drug education',
    definition: 'Schools with at least one drug-education activity in the period / schools', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} g): 100 %`, levels: BOTH,
    compute: (f) => ratio(f.schoolsReached, f.schools),
  },
  {
    id: 'g2', nameVi: 'Người lao động tại khu công nghiệp được tuyên truyền', nameEn: 'Industrial-park workers reached',
    definition: 'Participants of activities at industrial-park enterprises in the period / industrial-park workers (capped at 100 %)', unit: 'PERCENT', comparator: 'AT_LEAST', target: 70,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} g): trên 70 %`, levels: BOTH,
    compute: (f) => ratio(f.industrialParkWorkersReached, f.industrialParkWorkers, 100),
  },
  {
    id: 'g3', nameVi: 'Cơ quan báo chí chủ lực có chuyên mục PCMT', nameEn: 'Main media outlets with a drug-prevention column',
    definition: 'Main media outlets with a dedicated column by the period end / main media outlets', unit: 'PERCENT', comparator: 'AT_LEAST', target: 80,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} g): trên 80 %`, levels: PROVINCE,
    compute: (f) => ratio(f.mainMediaOutletsWithColumn, f.mainMediaOutlets),
  },
  {
    id: 'h', nameVi: 'Người liên quan đến ma túy được trợ giúp pháp lý khi có yêu cầu', nameEn: 'Eligible drug-related persons given legal aid',
    definition: 'Eligible legal-aid requests received in the period that were served / eligible requests received in the period', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} h): 100 %`, levels: BOTH,
    compute: (f) => ratio(f.servedLegalAidRequests, f.eligibleLegalAidRequests),
  },
  {
    id: 'i1', nameVi: 'Người nghiện các chất dạng thuốc phiện được duy trì điều trị', nameEn: 'Opioid patients kept in treatment',
    definition: 'Methadone patients retained through the period / methadone patients in treatment during the period', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} i): 100 %; 003 — Nghị quyết Cao Bằng: 100 % bệnh nhân methadone tuân thủ`, levels: BOTH,
    compute: (f) => ratio(f.methadonePatientsRetained, f.methadonePatientsInTreatment),
  },
  {
    id: 'i2', nameVi: 'Người sử dụng, người nghiện được tư vấn, can thiệp', nameEn: 'Users and addicts counselled',
    definition: 'Persons counselled in the period (health) / illegal users + addicts with an open file at the period end (police), capped at 100 %', unit: 'PERCENT', comparator: 'AT_LEAST', target: 90,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: `${SRC_004} i): trên 90 %`, levels: BOTH,
    compute: (f) => ratio(f.personsCounselled, sum(f.managedUsers, f.managedAddicts), 100),
  },
  {
    id: 'border', nameVi: 'Tỷ lệ ma túy thu giữ tại khu vực biên giới', nameEn: 'Share of drugs seized at the border',
    definition: 'Kg-equivalent seized by customs, border guard and coast guard / that plus kg-equivalent seized in police cases', unit: 'PERCENT', comparator: 'AT_LEAST', target: 70,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: '001 — Quyết định 3086/QĐ-UBND Quảng Ninh: trên 70 % tổng số ma túy thu giữ', levels: BOTH,
    compute: (f) => ratio(f.borderSeizedKg, sum(f.borderSeizedKg, f.policeSeizedKg)),
  },
  {
    id: 'f1', nameVi: 'Xã, phường không có ma túy', nameEn: 'Drug-free communes',
    definition: 'Communes classified drug-free for the period year / communes classified', unit: 'PERCENT', comparator: 'AT_LEAST', target: 50,
    baseline: 11.8, baselineYear: 2023, deadline: '2025-12-31', source: '000 — Chỉ thị 32-CT/TU Quảng Ninh: trên 50 % xã không có ma túy; 003 — Cao Bằng: 145/161 xã có ma túy (88,2 %)', levels: PROVINCE,
    compute: (f) => ratio(f.drugFreeCommunes, f.communesClassified),
  },
  {
    id: 'f2', nameVi: 'Giảm số xã có tệ nạn ma túy', nameEn: 'Fewer communes with drug problems',
    definition: 'Change of communes with drug problems against the previous year', unit: 'PERCENT_CHANGE', comparator: 'AT_MOST', target: -10,
    baseline: null, baselineYear: null, deadline: '2025-12-31', source: '000 — Chỉ thị 32-CT/TU Quảng Ninh: giảm ít nhất 10 %/năm', levels: PROVINCE,
    compute: (f) => change(f.communesWithDrugProblems, f.communesWithDrugProblemsPrevious),
  },
  {
    id: 'managed', nameVi: 'Người nghiện được lập hồ sơ quản lý', nameEn: 'Addicts with a management file',
    definition: 'Addicts with an open management file at the period end (police) / persons assessed addicted by the period end (health), capped at 100 %', unit: 'PERCENT', comparator: 'AT_LEAST', target: 100,
    baseline: null, baselineYear: null, deadline: PLAN_2030, source: '003 — Nghị quyết Cao Bằng: 100 % người sử dụng, người nghiện có hồ sơ quản lý; 001 — QĐ 3086: 100 % người nghiện được phát hiện, quản lý', levels: BOTH,
    compute: (f) => ratio(f.managedAddicts, f.personsAssessedAddicted, 100),
  },
  {
    id: 'outside', nameVi: 'Tỷ lệ người nghiện ngoài cơ sở cai nghiện', nameEn: 'Addicts outside rehab facilities',
    definition: '1 − persons in facility or compulsory rehab during the period (health) / addicts with an open file (police)', unit: 'PERCENT', comparator: 'AT_MOST', target: 86.3,
    baseline: 86.3, baselineYear: 2023, deadline: PLAN_2030, source: '003 — Nghị quyết Cao Bằng: 86,3 % người nghiện ở ngoài cơ sở cai nghiện (baseline; lower is better)', levels: BOTH,
    compute: (f) => {
      const r = ratio(f.personsInFacilityRehab, f.managedAddicts, 100);
      return r && { value: 100 - r.value, numerator: r.denominator - Math.min(r.numerator, r.denominator), denominator: r.denominator };
    },
  },
];

export type IndicatorStatus = 'MET' | 'ON_TRACK' | 'OFF_TRACK' | 'NO_DATA';

const meets = (def: IndicatorDef, v: number) => (def.comparator === 'AT_LEAST' ? v >= def.target - 1e-9 : v <= def.target + 1e-9);

/**
 * MET when the target is reached; ON_TRACK when not yet, but at or past the straight line from the
 * baseline to the target at the deadline; OFF_TRACK otherwise (also without a baseline); NO_DATA when
 * a figure is missing or the denominator is 0.
 */
export function statusOf(def: IndicatorDef, value: number | null, periodEnd: string): IndicatorStatus {
  if (value === null) return 'NO_DATA';
  if (meets(def, value)) return 'MET';
  if (def.baseline === null || def.baselineYear === null) return 'OFF_TRACK';
  const start = def.baselineYear;
  const end = Number(def.deadline.slice(0, 4));
  const year = Number(periodEnd.slice(0, 4));
  if (year >= end) return 'OFF_TRACK';
  const expected = def.baseline + ((def.target - def.baseline) * (year - start)) / (end - start);
  return meets({ ...def, target: expected }, value) ? 'ON_TRACK' : 'OFF_TRACK';
}

/** Names of the figures each level needs from the agencies (the @requires selections). */
export const COMMUNE_FIGURES = {
  int: [
    'managedUsers', 'managedAddicts', 'managedUsersPrevious', 'managedAddictsPrevious', 'hotspotsDetected', 'hotspotsDismantled',
    'retailDealersDetected', 'retailDealersDealtWith', 'seaRouteCases', 'postalExpressCases', 'seaRouteCasesPrevious', 'postalExpressCasesPrevious',
    'transnationalCases', 'transnationalCasesPrevious', 'cyberspaceCases', 'cyberspaceCasesPrevious',
    'healthStations', 'healthStationsAbleToAssess', 'methadonePatientsInTreatment', 'methadonePatientsRetained', 'personsAssessedAddicted',
    'personsCounselled', 'personsInFacilityRehab', 'schools', 'schoolsReached', 'industrialParkWorkers', 'industrialParkWorkersReached',
    'eligibleLegalAidRequests', 'servedLegalAidRequests',
  ],
  float: ['cultivationAreaDetectedM2', 'cultivationAreaDestroyedM2', 'policeSeizedKg', 'borderSeizedKg'],
  list: [] as string[],
};

export const PROVINCE_FIGURES = {
  int: [...COMMUNE_FIGURES.int, 'publicRehabFacilities', 'publicRehabFacilitiesAbleToAssess', 'mainMediaOutlets', 'mainMediaOutletsWithColumn', 'communesClassified', 'drugFreeCommunes', 'communesWithDrugProblems', 'communesWithDrugProblemsPrevious'],
  float: COMMUNE_FIGURES.float,
  list: ['communesWithAddicts', 'communesWithRehabReceptionPoint'],
};
