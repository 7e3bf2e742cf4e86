import { addDays, dayBetween, insertInChunks, rngFor, SUBSTANCE_CODES, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import {
  AddictionAssessment,
  AddictionSeverity,
  AssessmentResult,
  AssessmentSubstance,
  Counselling,
  CounsellingKind,
  DoseRecord,
  EnrollmentStatus,
  EnrollmentStatusChange,
  Facility,
  FacilityKind,
  MethadoneEnrollment,
  MissedDoseReason,
  RehabEpisode,
  RehabForm,
  RehabOutcome,
  UrineAnalyte,
  UrineTest,
  UrineTestResult,
} from './entities.js';
import { DROPOUT_AFTER_DAYS } from './writes.js';

type SubstanceCode = (typeof SUBSTANCE_CODES)[number];

const DAY_MS = 86_400_000;

const COMMUNE_WORD = { COMMUNE: 'xã', WARD: 'phường', SPECIAL_ZONE: 'đặc khu' } as const;

const OPIOIDS: { value: SubstanceCode; weight: number }[] = [
  { value: 'HEROIN', weight: 85 },
  { value: 'OPIUM', weight: 15 },
];
const NON_OPIOIDS: { value: SubstanceCode; weight: number }[] = [
  { value: 'METHAMPHETAMINE', weight: 60 },
  { value: 'CANNABIS', weight: 12 },
  { value: 'MDMA', weight: 10 },
  { value: 'KETAMINE', weight: 8 },
  { value: 'NPS', weight: 5 },
  { value: 'N2O', weight: 3 },
  { value: 'COCAINE', weight: 2 },
];

/** Induction: start low and raise every few days until the maintenance dose (mg on day `k` of treatment). */
function doseOnDay(k: number, maintenanceMg: number): number {
  return Math.min(maintenanceMg, 20 + 10 * Math.floor(k / 4));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/** Shares the seeded province aims at (DOMAIN.md indicators e and i, and 003's 86 % outside facilities). */
const RECEPTION_POINT_SHARE = 0.68; // of communes with addicts
const REHAB_SHARE = 0.3; // of addicts, one episode each
const COUNSELLED_SHARE = 0.88; // of users and addicts with a file open at the year end
const COUNSELLED_CLOSED_SHARE = 0.5; // of those whose file closed during the year
const COUNSELLED_PREVIOUS_SHARE = 0.7; // the year before

const MISSED_REASONS: { value: MissedDoseReason; weight: number }[] = [
  { value: MissedDoseReason.UNKNOWN, weight: 35 },
  { value: MissedDoseReason.SICK, weight: 20 },
  { value: MissedDoseReason.WORK, weight: 20 },
  { value: MissedDoseReason.TRAVEL, weight: 15 },
  { value: MissedDoseReason.DETAINED, weight: 3 },
  { value: MissedDoseReason.OTHER, weight: 7 },
];

/** Days of rehab by form: 6–12 months at home or in the community or voluntarily at a facility, 12–24 months compulsory. */
const REHAB_DAYS: Record<RehabForm, { min: number; max: number }> = {
  VOLUNTARY_HOME_COMMUNITY: { min: 180, max: 365 },
  VOLUNTARY_FACILITY: { min: 180, max: 365 },
  COMPULSORY: { min: 365, max: 730 },
};

/**
 * Writes the health part of the synthetic province: facilities (with community rehab points),
 * assessments and their substances, methadone enrolments with status history, daily doses, urine
 * tests, rehab episodes and counselling — each derived from the backbone's persons and files.
 */
export async function seedHealth(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'health');
  const n = (base: number) => Math.max(1, Math.round(base * p.scale));
  const yearStart = `${p.year}-01-01`;
  const yearEnd = `${p.year}-12-31`;

  // Facilities: a station per commune, then clinics, satellite dispensing points and rehab centres.
  const facilities: Partial<Facility>[] = p.communes.map((c) => ({
    name: `Trạm Y tế ${COMMUNE_WORD[c.kind]} ${c.name}`,
    kind: FacilityKind.COMMUNE_HEALTH_STATION,
    communeCode: c.code,
    canAssessAddiction: f.number.float() < 0.8,
    openedOn: null,
  }));
  const clinicCommunes = f.helpers.arrayElements(p.communes, Math.min(p.communes.length, n(8)));
  for (const c of clinicCommunes) {
    facilities.push({ name: `Cơ sở điều trị Methadone – Trung tâm Y tế khu vực ${c.name}`, kind: FacilityKind.METHADONE_CLINIC, communeCode: c.code, canAssessAddiction: true, openedOn: null });
  }
  const withoutClinic = p.communes.filter((c) => !clinicCommunes.includes(c));
  for (const c of f.helpers.arrayElements(withoutClinic, Math.min(withoutClinic.length, n(10)))) {
    facilities.push({ name: `Điểm cấp phát thuốc Methadone ${c.name}`, kind: FacilityKind.DISPENSING_POINT, communeCode: c.code, canAssessAddiction: false, openedOn: null });
  }
  for (const i of [1, 2]) {
    const c = f.helpers.arrayElement(p.communes);
    facilities.push({ name: `Cơ sở cai nghiện ma túy công lập số ${i} tỉnh ${p.province.name}`, kind: FacilityKind.PUBLIC_REHAB, communeCode: c.code, canAssessAddiction: true, openedOn: null });
  }
  const privateAt = f.helpers.arrayElement(p.communes);
  facilities.push({ name: `Cơ sở cai nghiện ma túy tự nguyện ${privateAt.name}`, kind: FacilityKind.PRIVATE_REHAB, communeCode: privateAt.code, canAssessAddiction: false, openedOn: null });
  // Community reception points (điểm tiếp nhận, tư vấn cai nghiện) in about two thirds of the communes
  // with addicts, opened over the last few years; from their own stream, so the rest stays as it was.
  const g = rngFor(p.seed, 'health-depth');
  const communeByCode = new Map(p.communes.map((c) => [c.code, c]));
  const addictCommunes = [...new Set(p.managed.filter((m) => m.category === 'ADDICT').map((m) => m.communeCode))].sort();
  for (const code of g.helpers.arrayElements(addictCommunes, Math.round(addictCommunes.length * RECEPTION_POINT_SHARE)).sort()) {
    const c = communeByCode.get(code)!;
    facilities.push({
      name: `Điểm tiếp nhận, tư vấn, hỗ trợ cai nghiện ma túy ${COMMUNE_WORD[c.kind]} ${c.name}`,
      kind: FacilityKind.COMMUNITY_REHAB_POINT,
      communeCode: code,
      canAssessAddiction: false,
      openedOn: dayBetween(g, `${p.year - 3}-01-01`, `${p.year}-06-30`),
    });
  }
  await insertInChunks(em, Facility, facilities, 500, (d) => progress('facilities', d, facilities.length));

  // Ids come from the database (sequences stay right on PostgreSQL); read them back once.
  const saved = await em.find(Facility, { communeCode: { $in: p.communes.map((c) => c.code) } }, { orderBy: { id: 'asc' } });
  const stationOf = new Map(saved.filter((x) => x.kind === FacilityKind.COMMUNE_HEALTH_STATION).map((x) => [x.communeCode, x]));
  const clinics = saved.filter((x) => x.kind === FacilityKind.METHADONE_CLINIC);
  const clinicOf = new Map(clinics.map((x) => [x.communeCode, x]));
  const rehabs = saved.filter((x) => x.kind === FacilityKind.PUBLIC_REHAB);
  const privateRehabs = saved.filter((x) => x.kind === FacilityKind.PRIVATE_REHAB);
  const pointOf = new Map(saved.filter((x) => x.kind === FacilityKind.COMMUNITY_REHAB_POINT).map((x) => [x.communeCode, x]));

  // Assessments: every addict, and about 30 % of users (mostly found not addicted).
  const assessments: Partial<AddictionAssessment>[] = [];
  const substancesOf = new Map<string, string[]>();
  for (const m of p.managed) {
    let result: AssessmentResult;
    if (m.category === 'ADDICT') result = AssessmentResult.ADDICTED;
    else if (m.category === 'ILLEGAL_USER' && f.number.float() < 0.3) result = f.number.float() < 0.15 ? AssessmentResult.ADDICTED : AssessmentResult.NOT_ADDICTED;
    else continue;
    const station = stationOf.get(m.communeCode);
    const facility = station?.canAssessAddiction && f.number.float() < 0.75 ? station : f.helpers.arrayElement(rehabs);
    const assessedOn = addDays(m.openedOn, f.number.int({ min: 0, max: 45 }));
    assessments.push({
      citizenId: m.citizenId,
      communeCode: m.communeCode,
      facility: facility.id as any,
      assessedOn: assessedOn > yearEnd ? yearEnd : assessedOn,
      result,
      severity:
        result === AssessmentResult.ADDICTED
          ? f.helpers.weightedArrayElement([
              { value: AddictionSeverity.MILD, weight: 25 },
              { value: AddictionSeverity.MODERATE, weight: 45 },
              { value: AddictionSeverity.SEVERE, weight: 30 },
            ])
          : null,
      substanceCode: f.helpers.weightedArrayElement(m.opioid ? OPIOIDS : NON_OPIOIDS),
    });
    // About a quarter use a second substance, mostly methamphetamine alongside heroin.
    const primary = assessments.at(-1)!.substanceCode!;
    const second = g.number.float() < 0.25 ? g.helpers.weightedArrayElement(NON_OPIOIDS) : null;
    substancesOf.set(m.citizenId, second && second !== primary ? [primary, second] : [primary]);
  }
  // Another province seeded before this one has its own assessments: read back only the new ones.
  const [last] = await em.find(AddictionAssessment, {}, { fields: ['id'], orderBy: { id: 'desc' }, limit: 1 });
  await insertInChunks(em, AddictionAssessment, assessments, 500, (d) => progress('addiction assessments', d, assessments.length));
  const assessmentSubstances: Partial<AssessmentSubstance>[] = (await em.find(AddictionAssessment, { id: { $gt: last?.id ?? 0 } }, { fields: ['id', 'citizenId'], orderBy: { id: 'asc' } })).flatMap((a) =>
    substancesOf.get(a.citizenId)!.map((substanceCode) => ({ assessment: a.id as any, substanceCode })),
  );
  await insertInChunks(em, AssessmentSubstance, assessmentSubstances, 1000, (d) => progress('assessment substances', d, assessmentSubstances.length));

  // Enrolments: patients are treated in their own commune's clinic when it has one.
  const plans = p.methadone.map((m) => {
    const clinic = clinicOf.get(m.communeCode) ?? f.helpers.arrayElement(clinics);
    const maintenanceMg = 5 * f.number.int({ min: 8, max: 30 });
    const from = m.startedOn > yearStart ? m.startedOn : yearStart;
    // No dose on the day the patient stopped coming.
    const to = m.droppedOn ? addDays(m.droppedOn, -1) : yearEnd;
    // Long-term stable patients may take some doses home.
    const stable = m.startedOn < `${p.year - 1}-01-01`;
    return { m, clinic, maintenanceMg, from, to, stable };
  });
  const enrollments: Partial<MethadoneEnrollment>[] = plans.map(({ m, clinic, maintenanceMg, to }) => ({
    citizenId: m.citizenId,
    clinic: clinic.id as any,
    communeCode: m.communeCode,
    startedOn: m.startedOn,
    status: m.droppedOn ? EnrollmentStatus.DROPPED_OUT : EnrollmentStatus.ACTIVE,
    currentDoseMg: doseOnDay(Math.max(0, daysBetween(m.startedOn, to)), maintenanceMg),
  }));
  await insertInChunks(em, MethadoneEnrollment, enrollments, 500, (d) => progress('methadone enrolments', d, enrollments.length));
  const idOf = new Map(
    (await em.find(MethadoneEnrollment, {}, { fields: ['id', 'citizenId'] })).map((e) => [e.citizenId, e.id]),
  );

  // Status history: ACTIVE from the start; DROPPED_OUT a month after the patient stopped coming.
  const statusChanges: Partial<EnrollmentStatusChange>[] = [];
  for (const { m } of plans) {
    const enrollment = idOf.get(m.citizenId)! as any;
    const droppedOutOn = m.droppedOn ? addDays(m.droppedOn, DROPOUT_AFTER_DAYS) : null;
    statusChanges.push({ enrollment, communeCode: m.communeCode, status: EnrollmentStatus.ACTIVE, changedOn: m.startedOn, supersededOn: droppedOutOn, reason: 'Bắt đầu điều trị' });
    if (droppedOutOn) {
      statusChanges.push({
        enrollment,
        communeCode: m.communeCode,
        status: EnrollmentStatus.DROPPED_OUT,
        changedOn: droppedOutOn,
        supersededOn: null,
        reason: `Bỏ điều trị: không đến uống thuốc từ ngày ${m.droppedOn}`,
      });
    }
  }
  await insertInChunks(em, EnrollmentStatusChange, statusChanges, 1000, (d) => progress('enrolment status history', d, statusChanges.length));

  // Doses: one row per day of the year while in treatment; ~3 % missed.
  const total = plans.reduce((s, x) => s + Math.max(0, daysBetween(x.from, x.to) + 1), 0);
  const doses: Partial<DoseRecord>[] = new Array(total);
  let i = 0;
  for (const { m, maintenanceMg, from, to, stable } of plans) {
    const enrollment = idOf.get(m.citizenId)! as any;
    const end = Date.parse(`${to}T00:00:00Z`);
    let k = daysBetween(m.startedOn, from);
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += DAY_MS, k++) {
      const missed = f.number.float() < 0.03;
      doses[i++] = {
        enrollment,
        day: new Date(t).toISOString().slice(0, 10),
        doseMg: missed ? 0 : doseOnDay(k, maintenanceMg),
        observed: !missed && !(stable && f.number.float() < 0.08),
        missed,
        missedReason: missed ? g.helpers.weightedArrayElement(MISSED_REASONS) : null,
      };
    }
  }
  await insertInChunks(em, DoseRecord, doses, 1000, (d) => progress('dose records', d, doses.length));

  // Urine tests: about monthly while in treatment (a month with at least a week dosed), at the clinic;
  // opiates and methamphetamine always, MDMA and THC sometimes; opiates mostly negative after induction.
  const tests: Partial<UrineTest>[] = [];
  const testResults: Array<Array<{ analyte: UrineAnalyte; positive: boolean }>> = [];
  for (const { m, clinic, from, to } of plans) {
    const enrollment = idOf.get(m.citizenId)! as any;
    for (let month = 1; month <= 12; month++) {
      const monthStart = `${p.year}-${String(month).padStart(2, '0')}-01`;
      const lo = later(from, monthStart);
      const hi = earlier(to, addDays(month === 12 ? `${p.year + 1}-01-01` : `${p.year}-${String(month + 1).padStart(2, '0')}-01`, -1));
      if (hi < lo || daysBetween(lo, hi) < 6) continue;
      const testedOn = dayBetween(g, lo, hi);
      tests.push({ enrollment, citizenId: m.citizenId, communeCode: m.communeCode, facility: clinic.id as any, testedOn });
      const inInduction = daysBetween(m.startedOn, testedOn) < 90;
      const results = [
        { analyte: UrineAnalyte.OPIATES, positive: g.number.float() < (inInduction ? 0.3 : 0.07) },
        { analyte: UrineAnalyte.METHAMPHETAMINE, positive: g.number.float() < 0.06 },
      ];
      if (g.number.float() < 0.2) results.push({ analyte: UrineAnalyte.MDMA, positive: g.number.float() < 0.02 });
      if (g.number.float() < 0.2) results.push({ analyte: UrineAnalyte.THC, positive: g.number.float() < 0.03 });
      testResults.push(results);
    }
  }
  await insertInChunks(em, UrineTest, tests, 1000, (d) => progress('urine tests', d, tests.length));
  const testIdOf = new Map((await em.find(UrineTest, {}, { fields: ['id', 'enrollment', 'testedOn'] })).map((t) => [`${t.enrollment!.id}:${t.testedOn}`, t.id]));
  const results: Partial<UrineTestResult>[] = tests.flatMap((t, i) => {
    const test = testIdOf.get(`${t.enrollment}:${t.testedOn}`)! as any;
    return testResults[i].map((r) => ({ test, analyte: r.analyte, positive: r.positive }));
  });
  await insertInChunks(em, UrineTestResult, results, 1000, (d) => progress('urine test results', d, results.length));

  // Rehab: one episode for about 30 % of addicts in the last three years. Methadone patients only at
  // home or in the community; others also at a facility or, by court decision, compulsorily.
  const methadoneIds = new Set(p.methadone.map((m) => m.citizenId));
  const addicts = p.managed.filter((m) => m.category === 'ADDICT');
  const episodes: Partial<RehabEpisode>[] = [];
  for (const m of g.helpers.arrayElements(addicts, Math.round(addicts.length * REHAB_SHARE))) {
    const form = methadoneIds.has(m.citizenId)
      ? RehabForm.VOLUNTARY_HOME_COMMUNITY
      : g.helpers.weightedArrayElement([
          { value: RehabForm.VOLUNTARY_HOME_COMMUNITY, weight: 45 },
          { value: RehabForm.VOLUNTARY_FACILITY, weight: 20 },
          { value: RehabForm.COMPULSORY, weight: 35 },
        ]);
    const facility =
      form === RehabForm.COMPULSORY ? g.helpers.arrayElement(rehabs)
      : form === RehabForm.VOLUNTARY_FACILITY ? g.helpers.arrayElement(g.number.float() < 0.7 ? rehabs : privateRehabs)
      : (pointOf.get(m.communeCode) ?? null);
    // While the police file is open, within the last three years when it was open then.
    let lo = later(m.openedOn, `${p.year - 2}-01-01`);
    let hi = m.closedOn ? earlier(m.closedOn, yearEnd) : yearEnd;
    if (hi < lo) [lo, hi] = [m.openedOn, hi];
    const startedOn = dayBetween(g, lo, hi);
    const days = g.number.int(REHAB_DAYS[form]);
    const outcome = g.helpers.weightedArrayElement([
      { value: RehabOutcome.COMPLETED, weight: 78 },
      { value: RehabOutcome.ABSCONDED, weight: 10 },
      { value: RehabOutcome.TRANSFERRED, weight: 5 },
      { value: RehabOutcome.OTHER, weight: 7 },
    ]);
    const endedOn = addDays(startedOn, outcome === RehabOutcome.ABSCONDED ? g.number.int({ min: 10, max: days - 1 }) : days);
    // Still going on at the end of the data year: no end and no outcome yet.
    const ended = endedOn <= yearEnd;
    episodes.push({
      citizenId: m.citizenId,
      communeCode: m.communeCode,
      form,
      facility: (facility?.id ?? null) as any,
      startedOn,
      endedOn: ended ? endedOn : null,
      outcome: ended ? outcome : null,
    });
  }
  await insertInChunks(em, RehabEpisode, episodes, 1000, (d) => progress('rehab episodes', d, episodes.length));

  // Counselling: most users and addicts with an open file are counselled during the year, 1–4 times,
  // at the clinic (methadone patients), the community point or the health station.
  const clinicOfPatient = new Map(plans.map(({ m, clinic }) => [m.citizenId, clinic]));
  const usersAndAddicts = p.managed.filter((m) => m.category === 'ILLEGAL_USER' || m.category === 'ADDICT');
  const sessions: Partial<Counselling>[] = [];
  const counsel = (year: number, people: typeof usersAndAddicts, counts: { value: number; weight: number }[]) => {
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    for (const m of people) {
      const lo = later(m.openedOn, from);
      const hi = m.closedOn ? earlier(m.closedOn, to) : to;
      const days = Array.from({ length: g.helpers.weightedArrayElement(counts) }, () => dayBetween(g, lo, hi)).sort();
      for (const counselledOn of days) {
        const clinic = clinicOfPatient.get(m.citizenId);
        const point = pointOf.get(m.communeCode);
        const facility = clinic && g.number.float() < 0.6 ? clinic : point && g.number.float() < 0.5 ? point : stationOf.get(m.communeCode)!;
        const kind = g.helpers.weightedArrayElement([
          { value: CounsellingKind.MEDICAL, weight: 55 },
          { value: CounsellingKind.PSYCHOLOGICAL, weight: 45 },
        ]);
        sessions.push({ citizenId: m.citizenId, communeCode: m.communeCode, facility: facility.id as any, counselledOn, kind });
      }
    }
  };
  const openAt = (day: string) => usersAndAddicts.filter((m) => m.openedOn <= day && (!m.closedOn || m.closedOn > day));
  const closedIn = (from: string, to: string) => usersAndAddicts.filter((m) => m.closedOn && m.closedOn >= from && m.closedOn <= to);
  const previousEnd = `${p.year - 1}-12-31`;
  const previous = [...openAt(previousEnd), ...closedIn(`${p.year - 1}-01-01`, previousEnd)];
  counsel(p.year - 1, g.helpers.arrayElements(previous, Math.round(previous.length * COUNSELLED_PREVIOUS_SHARE)), [
    { value: 1, weight: 60 },
    { value: 2, weight: 40 },
  ]);
  const open = openAt(yearEnd);
  const closed = closedIn(yearStart, yearEnd);
  const counselled = [
    ...g.helpers.arrayElements(open, Math.round(open.length * COUNSELLED_SHARE)),
    ...g.helpers.arrayElements(closed, Math.round(closed.length * COUNSELLED_CLOSED_SHARE)),
  ];
  counsel(p.year, counselled, [
    { value: 1, weight: 40 },
    { value: 2, weight: 35 },
    { value: 3, weight: 15 },
    { value: 4, weight: 10 },
  ]);
  await insertInChunks(em, Counselling, sessions, 1000, (d) => progress('counselling sessions', d, sessions.length));

  return {
    facility: facilities.length,
    addiction_assessment: assessments.length,
    assessment_substance: assessmentSubstances.length,
    methadone_enrollment: enrollments.length,
    enrollment_status_change: statusChanges.length,
    dose_record: doses.length,
    urine_test: tests.length,
    urine_test_result: results.length,
    rehab_episode: episodes.length,
    counselling: sessions.length,
  };
}
