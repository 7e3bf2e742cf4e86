/**
 * The programme's indicators (DOMAIN.md "Indicators the graph must answer"): definitions that quote
 * their seed line, targets and sources, and how each value is computed from the agencies' figures
 * for one commune or province in one period. Pure functions: the resolvers feed them the figures
 * federation brings in (@requires).
 */
export type Level = 'PROVINCE' | 'COMMUNE';
/**
 * AT_LEAST / AT_MOST: reaching the target is enough ("100 %", "giảm ít nhất 10 %"); ABOVE / BELOW:
 * strictly past it ("trên 80 %" is more than 80 %, "giảm" is below 0); NONE: a context figure the
 * seed states as a situation, with no status.
 */
export type Comparator = 'AT_LEAST' | 'AT_MOST' | 'ABOVE' | 'BELOW' | 'NONE';

/** The agencies whose data an indicator reads (each publishes until when it has records). */
export type Agency = 'police' | 'health' | 'education' | 'customs' | 'legal-aid' | 'border-guard';

export interface Figures {
  [name: string]: number | string | string[] | null | undefined;
}

/** A figure shown beside the value (how many still operate, retention…), in its own unit. */
export interface Detail {
  name: string;
  description: string;
  value: number | null;
}

export interface Computed {
  value: number;
  numerator: number;
  denominator: number;
  details?: Detail[];
}

export interface IndicatorDef {
  id: string;
  nameVi: string;
  nameEn: string;
  /** Numerator and denominator in words, then the seed line quoted and the document cited. */
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
  /** Whose records the value reads (reporting completeness lists them): a period outside the records of any of them is NO_DATA. */
  agencies: Agency[];
  /**
   * Of `agencies`, those whose records are rare events (seizures) that add to the value: a place
   * where one has no record at all adds 0 rather than being unreported, and a commune's span of them
   * says nothing (a commune may see one seizure a year), so only the province's span counts.
   */
  sparse?: Agency[];
  /** Only for a province with a land border (a commune flagged border): elsewhere NOT_APPLICABLE, never 0 % OFF_TRACK. */
  landBorderOnly?: true;
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
  'methadonePatientsAtEnd', 'opioidAddictsAssessed', 'opioidAddictsInTreatment', 'personsInCommunityRehabLastYear', 'eligibleLegalAidPersons', 'servedLegalAidPersons',
  'managedCounsellingPopulation', 'managedUsersLastYear', 'managedAddictsLastYear',
  // Health's assessment count (Commune.addictionAssessmentCount's cell): no indicator reads it, but it is small-cell.
  'addictionAssessments',
]);

/** Each agency's first- and last-record figures: the days it has records for the place between. */
export const DATA_SPAN: Record<Agency, { since: string[]; through: string[] }> = {
  police: { since: ['policeFilesSince', 'policeCasesSince'], through: ['policeFilesThrough', 'policeCasesThrough'] },
  health: { since: ['healthCounsellingSince', 'healthAssessmentsSince'], through: ['healthCounsellingThrough', 'healthAssessmentsThrough'] },
  education: { since: ['educationActivitiesSince'], through: ['educationActivitiesThrough'] },
  customs: { since: ['customsSeizuresSince'], through: ['customsSeizuresThrough'] },
  'legal-aid': { since: ['legalAidRequestsSince'], through: ['legalAidRequestsThrough'] },
  'border-guard': { since: ['borderGuardSeizuresSince'], through: ['borderGuardSeizuresThrough'] },
};

const days = (f: Figures, names: string[]) =>
  names.map((name) => f[name]).filter((v): v is string => typeof v === 'string' && v.length >= 10).map((d) => d.slice(0, 10)).sort();

/** The first and the last day an agency has a record for the place, or null when it has none. */
export function dataSpan(f: Figures, agency: Agency): { since: string; through: string } | null {
  const since = days(f, DATA_SPAN[agency].since)[0];
  const through = days(f, DATA_SPAN[agency].through).at(-1);
  return since && through ? { since, through } : null;
}

/** A period without reported data: it starts after, or ends before, the records of an agency the indicator needs. */
export function unreported(def: Pick<IndicatorDef, 'agencies' | 'sparse'>, f: Figures, period: { from: string; to: string }, level: Level = 'PROVINCE'): boolean {
  return def.agencies.some((agency) => {
    const sparse = def.sparse?.includes(agency) ?? false;
    if (sparse && level === 'COMMUNE') return false;
    const span = dataSpan(f, agency);
    if (span === null) return !sparse;
    return span.through < period.from || span.since > period.to;
  });
}

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** numerator / denominator in percent, never capped; no data when the denominator is 0 or a figure is missing. */
function ratio(num: unknown, den: unknown): Computed | null {
  const a = n(num);
  const b = n(den);
  if (a === null || b === null || b <= 0) return null;
  return { value: (a / b) * 100, numerator: a, denominator: b };
}

/** Change against the same period of the previous year, in percent; no data without a previous figure above 0. */
function change(current: unknown, lastYear: unknown): Computed | null {
  const a = n(current);
  const b = n(lastYear);
  if (a === null || b === null || b <= 0) return null;
  return { value: ((a - b) / b) * 100, numerator: a - b, denominator: b };
}

const sum = (...v: unknown[]) => (v.every((x) => n(x) !== null) ? v.reduce<number>((s, x) => s + (x as number), 0) : null);
const withDetails = (c: Computed | null, details: Detail[]): Computed | null => c && { ...c, details };
const detail = (name: string, description: string, value: unknown): Detail => ({ name, description, value: n(value) });
const pct = (a: unknown, b: unknown) => ratio(a, b)?.value ?? null;

const BOTH: Level[] = ['PROVINCE', 'COMMUNE'];
const PROVINCE: Level[] = ['PROVINCE'];
const PLAN_2030 = '2030-12-31';
const DOC_004 = '004 — Ninh Bình, Kế hoạch thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030 (2025), mục II.3';
const DOC_000 = '000 — Quảng Ninh, Chỉ thị 32-CT/TU (2023)';
const DOC_001 = '001 — Quảng Ninh, Quyết định 3086/QĐ-UBND (2011)';
const DOC_003 = '003 — Cao Bằng, Nghị quyết của Ban Thường vụ Tỉnh ủy';

/** How it is computed, then the seed line in quotes and where it stands. */
const defined = (how: string, seed: string, doc: string) => `${how}. Seed: «${seed}» (${doc})`;

export const INDICATORS: IndicatorDef[] = [
  {
    id: 'a', nameVi: 'Giảm người sử dụng trái phép và người nghiện ma túy hằng năm', nameEn: 'Users and addicts fall every year',
    definition: defined(
      'Change of (illegal users + addicts with a management file open on the last day of the period) against the same day of the previous year',
      'Hằng năm, giảm số người nghiện ma túy, người sử dụng trái phép chất ma túy; phấn đấu đến hết năm 2030 đạt mục tiêu tỉnh không ma túy', `${DOC_004} a)`,
    ),
    unit: 'PERCENT_CHANGE', comparator: 'BELOW', target: 0, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} a): giảm hằng năm; ${DOC_000}: giảm 5–10 %/năm`, levels: BOTH, agencies: ['police'],
    compute: (f) => change(sum(f.managedUsers, f.managedAddicts), sum(f.managedUsersLastYear, f.managedAddictsLastYear)),
  },
  ...(
    [
      ['b1', 'Điểm, tụ điểm ma túy phát hiện được triệt xóa', 'Drug hotspots detected that were dismantled', 'Hotspots detected in the period that were dismantled by its last day / hotspots detected in the period', 'hotspotsDetectedDismantled', 'hotspotsDetected', 'hotspots detected in the period still operating at its end'],
      ['b2', 'Đối tượng bán lẻ phát hiện được đấu tranh, xử lý', 'Retail dealers detected that were dealt with', 'Retail dealers detected in the period that were dealt with by its last day / retail dealers detected in the period', 'retailDealersDetectedDealtWith', 'retailDealersDetected', 'retail dealers detected in the period not yet dealt with at its end'],
      ['b3', 'Diện tích trồng cây có chứa chất ma túy phát hiện được triệt phá', 'Illegal cultivation detected that was destroyed', 'Cultivation area (m²) detected in the period that was destroyed by its last day / area detected in the period', 'cultivationAreaDetectedDestroyedM2', 'cultivationAreaDetectedM2', 'm² detected in the period not yet destroyed at its end'],
    ] as const
  ).map(([id, nameVi, nameEn, how, done, detected, still]): IndicatorDef => ({
    id, nameVi, nameEn,
    definition: defined(
      `A cohort: ${how}; shown beside it, ${still}`,
      'Phấn đấu 100% các điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy, đối tượng bán lẻ chất ma túy và 100% diện tích trồng trái phép cây có chứa chất ma túy được phát hiện và triệt phá', `${DOC_004} b)`,
    ),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} b): 100 %`, levels: BOTH, agencies: ['police'],
    compute: (f) => withDetails(ratio(f[done], f[detected]), [detail('stillOperating', `Còn hoạt động: ${still}`, n(f[detected]) !== null && n(f[done]) !== null ? (f[detected] as number) - (f[done] as number) : null)]),
  })),
  ...(
    [
      ['c1', 'Đơn vị chuyên trách PCMT của Bộ đội Biên phòng được trang bị', 'Border Guard anti-drug units equipped', 'Specialised anti-drug units of the Border Guard fully equipped by the period end / units established by then', 'antiDrugTeamsEquipped', 'antiDrugTeams'],
      ['c2', 'Cán bộ, chiến sĩ chuyên trách PCMT của Bộ đội Biên phòng được trang bị', 'Border Guard anti-drug officers equipped', 'Officers of the specialised units issued modern weapons, support tools and technical means by the period end / officers serving then', 'antiDrugOfficersEquipped', 'antiDrugOfficers'],
    ] as const
  ).map(([id, nameVi, nameEn, how, equipped, all]): IndicatorDef => ({
    id, nameVi, nameEn,
    definition: defined(
      how,
      'Trên 80% các đơn vị và cán bộ, chiến sĩ lực lượng chuyên trách phòng, chống tội phạm về ma túy thuộc Bộ đội Biên phòng được trang bị vũ khí, công cụ hỗ trợ, phương tiện kỹ thuật nghiệp vụ hiện đại', `${DOC_004} c)`,
    ),
    unit: 'PERCENT', comparator: 'ABOVE', target: 80, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} c): trên 80 %`, levels: PROVINCE, agencies: ['border-guard'],
    compute: (f) => ratio(f[equipped], f[all]),
  })),
  {
    id: 'd1', nameVi: 'Tăng số vụ phát hiện trên tuyến biển và chuyển phát nhanh', nameEn: 'Sea-route and express-delivery cases rise',
    definition: defined(
      'Change of (police cases on the sea route or in postal/express parcels + customs and coast-guard seizures on those routes + the Border Guard’s sea-route seizures, each seizure not handed over to a police case) against the same period of the previous year: every agency’s detections, each once',
      'Hằng năm, số vụ phạm tội về ma túy được phát hiện, bắt giữ tại tuyến đường biển, chuyển phát nhanh tăng trên 3%', `${DOC_004} d)`,
    ),
    unit: 'PERCENT_CHANGE', comparator: 'ABOVE', target: 3, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} d): tăng trên 3 %/năm`, levels: BOTH, agencies: ['police', 'customs', 'border-guard'], sparse: ['customs', 'border-guard'],
    compute: (f) =>
      change(
        sum(f.seaRouteCases, f.postalExpressCases, f.seaRouteSeizuresNotHandedOver, f.postalExpressSeizuresNotHandedOver, f.borderGuardSeaRouteSeizuresNotHandedOver),
        sum(f.seaRouteCasesLastYear, f.postalExpressCasesLastYear, f.seaRouteSeizuresNotHandedOverLastYear, f.postalExpressSeizuresNotHandedOverLastYear, f.borderGuardSeaRouteSeizuresNotHandedOverLastYear),
      ),
  },
  {
    id: 'd2', nameVi: 'Tăng số vụ phạm tội về ma túy có tổ chức xuyên quốc gia', nameEn: 'Transnational organised cases rise',
    definition: defined(
      'Change of cases flagged both transnational and organised against the same period of the previous year',
      'số vụ phạm tội về ma túy có tổ chức xuyên quốc gia được phát hiện, bắt giữ tăng trên 3%', `${DOC_004} d)`,
    ),
    unit: 'PERCENT_CHANGE', comparator: 'ABOVE', target: 3, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} d): tăng trên 3 %/năm`, levels: BOTH, agencies: ['police'],
    compute: (f) => change(f.transnationalOrganisedCases, f.transnationalOrganisedCasesLastYear),
  },
  {
    id: 'd3', nameVi: 'Tăng số vụ phạm tội về ma túy lợi dụng không gian mạng', nameEn: 'Cyberspace cases rise',
    definition: defined(
      'Change of cyberspace cases against the same period of the previous year',
      'số vụ phạm tội về ma túy lợi dụng không gian mạng được phát hiện, triệt phá tăng trên 5%', `${DOC_004} d)`,
    ),
    unit: 'PERCENT_CHANGE', comparator: 'ABOVE', target: 5, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} d): tăng trên 5 %/năm`, levels: BOTH, agencies: ['police'],
    compute: (f) => change(f.cyberspaceCases, f.cyberspaceCasesLastYear),
  },
  {
    id: 'dd1', nameVi: 'Trạm y tế xã đủ điều kiện xác định tình trạng nghiện', nameEn: 'Commune health stations able to assess addiction',
    definition: defined('Commune health stations able to assess addiction / commune health stations, operating by the period end', 'Trên 80% số trạm y tế cấp xã … đủ điều kiện xác định tình trạng nghiện ma túy', `${DOC_004} đ)`),
    unit: 'PERCENT', comparator: 'ABOVE', target: 80, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} đ): trên 80 %`, levels: BOTH, agencies: ['health'],
    compute: (f) => ratio(f.healthStationsAbleToAssess, f.healthStations),
  },
  {
    id: 'dd2', nameVi: 'Cơ sở cai nghiện công lập đủ điều kiện xác định tình trạng nghiện', nameEn: 'Public rehab facilities able to assess addiction',
    definition: defined('Public rehab facilities able to assess addiction / public rehab facilities, operating by the period end', '… và 100% cơ sở cai nghiện ma túy công lập đủ điều kiện xác định tình trạng nghiện ma túy', `${DOC_004} đ)`),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} đ): 100 %`, levels: PROVINCE, agencies: ['health'],
    compute: (f) => ratio(f.publicRehabFacilitiesAbleToAssess, f.publicRehabFacilities),
  },
  {
    id: 'e', nameVi: 'Xã có người nghiện bố trí điểm tiếp nhận, tư vấn cai nghiện', nameEn: 'Communes with addicts that have a rehab reception point',
    definition: defined(
      'Communes with an addict’s file open at the period end (police) that have a community rehab reception/counselling point (health) / communes with addicts',
      'trên 70% xã, phường có người nghiện ma túy bố trí điểm tiếp nhận và tư vấn cai nghiện ma túy đủ điều kiện theo quy định', `${DOC_004} e)`,
    ),
    unit: 'PERCENT', comparator: 'ABOVE', target: 70, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} e): trên 70 %`, levels: PROVINCE, agencies: ['police', 'health'],
    compute: (f) => {
      const withAddicts = f.communesWithAddicts;
      const withPoint = f.communesWithRehabReceptionPoint;
      if (!Array.isArray(withAddicts) || !Array.isArray(withPoint)) return null;
      const points = new Set(withPoint);
      return ratio(withAddicts.filter((c) => points.has(c)).length, withAddicts.length);
    },
  },
  {
    id: 'e1', nameVi: 'Cơ sở cai nghiện công lập bảo đảm điều kiện theo quy định', nameEn: 'Public rehab facilities meeting the legal conditions',
    definition: defined(
      'Public rehab facilities that meet the conditions of the Law on Drug Prevention / public rehab facilities. Not computed yet: health does not record whether a facility meets the conditions, so the value is NO_DATA until it does',
      'Phấn đấu 100% cơ sở cai nghiện ma túy công lập bảo đảm điều kiện theo quy định của Luật Phòng, chống ma túy', `${DOC_004} e)`,
    ),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} e): 100 %`, levels: PROVINCE, agencies: [],
    compute: () => null,
  },
  {
    id: 'e3', nameVi: 'Duy trì cai nghiện tự nguyện tại gia đình, cộng đồng', nameEn: 'Voluntary home and community rehab maintained',
    definition: defined(
      'Change of persons in voluntary home/community rehab during the period against the same period of the previous year (maintained: not falling)',
      'duy trì công tác cai nghiện ma túy tự nguyện tại gia đình, cộng đồng', `${DOC_004} e)`,
    ),
    unit: 'PERCENT_CHANGE', comparator: 'AT_LEAST', target: 0, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} e): duy trì`, levels: BOTH, agencies: ['health'],
    compute: (f) => withDetails(change(f.personsInCommunityRehab, f.personsInCommunityRehabLastYear), [detail('persons', 'Người cai nghiện tự nguyện tại gia đình, cộng đồng trong kỳ', f.personsInCommunityRehab)]),
  },
  {
    id: 'g1', nameVi: 'Nhà trường được tuyên truyền, giáo dục PCMT', nameEn: 'Schools reached by drug education',
    definition: defined('Schools with at least one drug-education activity in the period / schools', 'phấn đấu tổ chức tuyên truyền, phổ biến, giáo dục pháp luật, kiến thức, kỹ năng về phòng, chống ma túy cho người học tại 100% nhà trường', `${DOC_004} g)`),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} g): 100 %`, levels: BOTH, agencies: ['education'],
    compute: (f) => ratio(f.schoolsReached, f.schools),
  },
  {
    id: 'g2', nameVi: 'Người lao động tại khu công nghiệp được tuyên truyền', nameEn: 'Industrial-park workers reached',
    definition: defined(
      'Distinct industrial-park workers on the attendance lists (social-insurance number) of activities held at their enterprise in the period / workers of the industrial-park enterprises: persons, not attendances (a worker at two sessions counts once; an activity recorded without an attendance list reaches no countable worker); the attendances are shown beside it',
      'trên 70% người lao động tại các khu công nghiệp, khu chế xuất', `${DOC_004} g)`,
    ),
    unit: 'PERCENT', comparator: 'ABOVE', target: 70, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} g): trên 70 %`, levels: BOTH, agencies: ['education'],
    compute: (f) => withDetails(ratio(f.industrialParkWorkersReachedDistinct, f.industrialParkWorkers), [detail('attendances', 'Lượt công nhân khu công nghiệp được tuyên truyền (a worker at two sessions counts twice)', f.industrialParkWorkersReached)]),
  },
  {
    id: 'g3', nameVi: 'Cơ quan truyền thông chủ lực có chuyên mục PCMT', nameEn: 'Main media outlets with a drug-prevention column',
    definition: defined(
      'Main media outlets with a dedicated column by the period end / main media outlets',
      'Trên 80% các cơ quan truyền thông chủ lực đa phương tiện và cơ quan báo chí có lượng độc giả lớn có chuyên trang, chuyên mục, chuyên đề về phòng, chống ma túy', `${DOC_004} g)`,
    ),
    unit: 'PERCENT', comparator: 'ABOVE', target: 80, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} g): trên 80 %`, levels: PROVINCE, agencies: ['education'],
    compute: (f) => ratio(f.mainMediaOutletsWithColumn, f.mainMediaOutlets),
  },
  {
    id: 'h', nameVi: 'Người liên quan đến ma túy được trợ giúp pháp lý khi có yêu cầu', nameEn: 'Eligible drug-related persons given legal aid',
    definition: defined(
      'Distinct eligible persons whose request received in the period is served (accepted, in progress or completed) / distinct eligible persons who asked in the period: persons, not requests',
      'Phấn đấu trợ giúp pháp lý cho 100% số người vi phạm pháp luật liên quan đến ma túy, người sử dụng trái phép chất ma túy, người nghiện ma túy và người sau cai nghiện ma túy thuộc diện trợ giúp pháp lý khi có yêu cầu', `${DOC_004} h)`,
    ),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} h): 100 %`, levels: BOTH, agencies: ['legal-aid'],
    compute: (f) => ratio(f.servedLegalAidPersons, f.eligibleLegalAidPersons),
  },
  {
    id: 'i1', nameVi: 'Người nghiện các chất dạng thuốc phiện được duy trì điều trị', nameEn: 'Opioid addicts kept in maintenance treatment',
    definition: defined(
      'Coverage: persons assessed addicted to an opioid (heroin, opium) by the last day of the period who are in methadone treatment (ACTIVE or SUSPENDED) that day / persons assessed addicted to an opioid by then (a patient without such an assessment is not counted); retention (patients retained through the period / patients in treatment during it) shown beside it',
      'Bảo đảm cơ sở vật chất và duy trì điều trị cho 100% người nghiện các chất dạng thuốc phiện', `${DOC_004} i)`,
    ),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} i): 100 %; ${DOC_003}: 100 % người điều trị bằng thuốc thay thế tuân thủ`, levels: BOTH, agencies: ['health'],
    compute: (f) => withDetails(ratio(f.opioidAddictsInTreatment, f.opioidAddictsAssessed), [detail('retentionPercent', 'Tỷ lệ duy trì điều trị (%): patients retained through the period / patients in treatment during it', pct(f.methadonePatientsRetained, f.methadonePatientsInTreatment))]),
  },
  {
    id: 'i2', nameVi: 'Người nghiện, người sử dụng, người sau cai được tư vấn, hỗ trợ, can thiệp', nameEn: 'Users, addicts and persons after rehab counselled',
    definition: defined(
      'Distinct persons counselled or supported in the period (health) / distinct persons with an illegal-user, addict or post-rehab file open at the period end (police; persons in rehab or treatment are addicts on file). Not capped: persons counselled without a file count too',
      'trên 90% người nghiện ma túy, người sử dụng trái phép chất ma túy, người cai nghiện ma túy, người tham gia điều trị nghiện ma túy, người sau cai nghiện ma túy được tư vấn, hỗ trợ và can thiệp về y tế, tâm lý', `${DOC_004} i)`,
    ),
    unit: 'PERCENT', comparator: 'ABOVE', target: 90, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_004} i): trên 90 %`, levels: BOTH, agencies: ['health', 'police'],
    compute: (f) => ratio(f.personsCounselled, f.managedCounsellingPopulation),
  },
  {
    id: 'border', nameVi: 'Tỷ lệ ma túy thu giữ tại khu vực biên giới', nameEn: 'Share of drugs seized in the land-border area',
    definition: defined(
      'Kg-equivalent seized on the land-border route by customs and by the Border Guard / every kg seized in the province, each seizure once: police cases plus customs’ and the Border Guard’s seizures not handed over to a police case. Province only: the seed compares with the whole province',
      'Nâng tỷ lệ phát hiện, thu giữ ma túy tại khu vực biên giới lên trên 70% so với tổng số ma túy thu giữ trong toàn tỉnh', DOC_001,
    ),
    unit: 'PERCENT', comparator: 'ABOVE', target: 70, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_001}: trên 70 % tổng số ma túy thu giữ`, levels: PROVINCE, agencies: ['police', 'customs', 'border-guard'], sparse: ['customs', 'border-guard'], landBorderOnly: true,
    compute: (f) => ratio(sum(f.landBorderSeizedKg, f.borderGuardLandBorderSeizedKg), sum(f.policeSeizedKg, f.seizedKgNotHandedOver, f.borderGuardSeizedKgNotHandedOver)),
  },
  {
    id: 'f1', nameVi: 'Xã, phường không có tệ nạn ma túy', nameEn: 'Drug-free communes',
    definition: defined(
      'Communes classified drug-free for the period’s year / communes classified that year',
      'nâng tổng số xã, phường, thị trấn không tệ nạn ma túy lên trên 50% … vào năm 2025', DOC_000,
    ),
    unit: 'PERCENT', comparator: 'ABOVE', target: 50, baseline: 11.8, baselineYear: 2023, deadline: '2025-12-31',
    source: `${DOC_000}: trên 50 % xã không có ma túy; ${DOC_003}: 145/161 xã có ma túy (88,2 %), tối thiểu 12 % xã không có tệ nạn ma túy đến năm 2025`, levels: PROVINCE, agencies: ['police'],
    compute: (f) => ratio(f.drugFreeCommunes, f.communesClassified),
  },
  {
    id: 'f2', nameVi: 'Giảm số xã có tệ nạn ma túy', nameEn: 'Fewer communes with drug problems',
    definition: defined(
      'Change of communes classified with drug problems for the period’s year against the previous year; no data unless both years were classified',
      'giảm ít nhất 10% xã, phường, thị trấn có tệ nạn ma túy', DOC_000,
    ),
    unit: 'PERCENT_CHANGE', comparator: 'AT_MOST', target: -10, baseline: null, baselineYear: null, deadline: '2025-12-31',
    source: `${DOC_000}: giảm ít nhất 10 %/năm`, levels: PROVINCE, agencies: ['police'],
    compute: (f) => {
      // A year nobody classified is no data, not "every commune became drug-free".
      if (!(n(f.communesClassified)! > 0) || !(n(f.communesClassifiedLastYear)! > 0)) return null;
      return change(f.communesWithDrugProblems, f.communesWithDrugProblemsLastYear);
    },
  },
  {
    id: 'managed', nameVi: 'Người nghiện, người sử dụng có hồ sơ quản lý', nameEn: 'Users and addicts with a management file',
    definition: defined(
      'Illegal users + addicts with a management file open at the period end (police) / illegal users on file + persons assessed addicted by the period end (health). Not capped: above 100 % means more addicts on file than assessed',
      '100% người nghiện ma túy, người sử dụng trái phép chất ma túy trên địa bàn được rà soát, phát hiện, lập hồ sơ quản lý', DOC_003,
    ),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_003}: 100 % có hồ sơ quản lý; ${DOC_001}: 100 % người nghiện được phát hiện, quản lý`, levels: BOTH, agencies: ['police', 'health'],
    compute: (f) => ratio(sum(f.managedUsers, f.managedAddicts), sum(f.managedUsers, f.personsAssessedAddicted)),
  },
  {
    id: 'relapse', nameVi: 'Giảm tỷ lệ tái nghiện', nameEn: 'Relapse rate falls',
    definition: defined(
      'Change of the relapse rate (persons back in rehab or assessed addicted again after completing rehab / persons who completed rehab) against the previous year. Not computed yet: no agency publishes relapses, so the value is NO_DATA until health does',
      'giảm từ 10% đến 15% tỷ lệ tái nghiện so với hiện nay', DOC_001,
    ),
    unit: 'PERCENT_CHANGE', comparator: 'AT_MOST', target: -10, baseline: null, baselineYear: null, deadline: PLAN_2030,
    source: `${DOC_001}: giảm 10–15 % tỷ lệ tái nghiện`, levels: PROVINCE, agencies: [],
    compute: () => null,
  },
  {
    id: 'units', nameVi: 'Cơ quan, đơn vị, trường học đạt tiêu chuẩn không có ma túy', nameEn: 'Drug-free agencies, units and schools',
    definition: defined(
      'Agencies, units and schools recognised drug-free / agencies, units and schools. Not computed yet: no agency publishes the recognition, so the value is NO_DATA until one does',
      '100% cơ quan, đơn vị, trường học đạt tiêu chuẩn không có ma túy', DOC_003,
    ),
    unit: 'PERCENT', comparator: 'AT_LEAST', target: 100, baseline: null, baselineYear: null, deadline: '2025-12-31',
    source: `${DOC_003}: 100 %`, levels: PROVINCE, agencies: [],
    compute: () => null,
  },
  {
    id: 'outside', nameVi: 'Người nghiện, người sử dụng ở ngoài cơ sở cai nghiện', nameEn: 'Users and addicts outside rehab facilities',
    definition: defined(
      'Context, no target: 100 − persons in facility or compulsory rehab during the period (health) / illegal users + addicts with an open file (police), in percent',
      'số người nghiện ma túy và người sử dụng trái phép chất ma túy ở ngoài xã hội còn cao (chiếm 86,3%, chỉ có 13,7% được đưa vào cơ sở cai nghiện của tỉnh)', DOC_003,
    ),
    unit: 'PERCENT', comparator: 'NONE', target: 86.3, baseline: 86.3, baselineYear: 2023, deadline: PLAN_2030,
    source: `${DOC_003}: 86,3 % ở ngoài cơ sở cai nghiện (tình hình, không phải chỉ tiêu)`, levels: BOTH, agencies: ['police', 'health'],
    compute: (f) => {
      const r = ratio(f.personsInFacilityRehab, sum(f.managedUsers, f.managedAddicts));
      return r && { value: 100 - r.value, numerator: r.denominator - r.numerator, denominator: r.denominator };
    },
  },
];

export type IndicatorStatus = 'MET' | 'ON_TRACK' | 'OFF_TRACK' | 'NO_DATA' | 'CONTEXT' | 'NOT_APPLICABLE';

const EPSILON = 1e-9;

/** Whether a value reaches a target under a comparator ("trên" is strict). */
export function meets(comparator: Comparator, value: number, target: number): boolean {
  switch (comparator) {
    case 'AT_LEAST': return value >= target - EPSILON;
    case 'AT_MOST': return value <= target + EPSILON;
    case 'ABOVE': return value > target + EPSILON;
    case 'BELOW': return value < target - EPSILON;
    case 'NONE': return false;
  }
}

/**
 * CONTEXT for a figure without a target; NO_DATA when a figure is missing or the denominator is 0;
 * MET when the target is reached; ON_TRACK when not yet, but at or past the straight line from the
 * baseline to the target at the deadline; OFF_TRACK otherwise (also without a baseline).
 */
export function statusOf(def: Pick<IndicatorDef, 'comparator' | 'target' | 'baseline' | 'baselineYear' | 'deadline'>, value: number | null, periodEnd: string): IndicatorStatus {
  if (def.comparator === 'NONE') return 'CONTEXT';
  if (value === null) return 'NO_DATA';
  if (meets(def.comparator, value, def.target)) return 'MET';
  if (def.baseline === null || def.baselineYear === null) return 'OFF_TRACK';
  const start = def.baselineYear;
  const end = Number(def.deadline.slice(0, 4));
  const year = Number(periodEnd.slice(0, 4));
  if (year >= end) return 'OFF_TRACK';
  const expected = def.baseline + ((def.target - def.baseline) * (year - start)) / (end - start);
  return meets(def.comparator, value, expected) ? 'ON_TRACK' : 'OFF_TRACK';
}

/** The catalogue row the program database keeps for an indicator (targets may be revised there). */
export function catalogueRow({ compute: _compute, agencies: _agencies, sparse: _sparse, landBorderOnly: _landBorderOnly, ...row }: IndicatorDef) {
  return row;
}

const SPAN = Object.values(DATA_SPAN).flatMap((a) => [...a.since, ...a.through]);

/** Names of the figures each level needs from the agencies (the @requires selections). */
export const COMMUNE_FIGURES = {
  int: [
    'managedUsers', 'managedAddicts', 'managedUsersLastYear', 'managedAddictsLastYear', 'managedCounsellingPopulation',
    'hotspotsDetected', 'hotspotsDetectedDismantled', 'retailDealersDetected', 'retailDealersDetectedDealtWith',
    'seaRouteCases', 'postalExpressCases', 'seaRouteCasesLastYear', 'postalExpressCasesLastYear',
    'seaRouteSeizuresNotHandedOver', 'postalExpressSeizuresNotHandedOver', 'seaRouteSeizuresNotHandedOverLastYear', 'postalExpressSeizuresNotHandedOverLastYear',
    'borderGuardSeaRouteSeizuresNotHandedOver', 'borderGuardSeaRouteSeizuresNotHandedOverLastYear',
    'transnationalOrganisedCases', 'transnationalOrganisedCasesLastYear', 'cyberspaceCases', 'cyberspaceCasesLastYear',
    'healthStations', 'healthStationsAbleToAssess', 'methadonePatientsInTreatment', 'methadonePatientsRetained', 'opioidAddictsInTreatment', 'opioidAddictsAssessed',
    'personsAssessedAddicted', 'personsCounselled', 'personsInFacilityRehab', 'personsInCommunityRehab', 'personsInCommunityRehabLastYear',
    'schools', 'schoolsReached', 'industrialParkWorkers', 'industrialParkWorkersReached', 'industrialParkWorkersReachedDistinct', 'eligibleLegalAidPersons', 'servedLegalAidPersons',
  ],
  float: ['cultivationAreaDetectedM2', 'cultivationAreaDetectedDestroyedM2'],
  list: [] as string[],
  date: SPAN,
};

export const PROVINCE_FIGURES = {
  int: [
    ...COMMUNE_FIGURES.int, 'publicRehabFacilities', 'publicRehabFacilitiesAbleToAssess', 'mainMediaOutlets', 'mainMediaOutletsWithColumn',
    'communesClassified', 'communesClassifiedLastYear', 'drugFreeCommunes', 'communesWithDrugProblems', 'communesWithDrugProblemsLastYear',
    'antiDrugTeams', 'antiDrugTeamsEquipped', 'antiDrugOfficers', 'antiDrugOfficersEquipped',
  ],
  // The border share compares with the whole province (001): its kilograms are province figures only.
  float: [...COMMUNE_FIGURES.float, 'policeSeizedKg', 'landBorderSeizedKg', 'seizedKgNotHandedOver', 'borderGuardLandBorderSeizedKg', 'borderGuardSeizedKgNotHandedOver'],
  list: ['communesWithAddicts', 'communesWithRehabReceptionPoint'],
  date: SPAN,
};
