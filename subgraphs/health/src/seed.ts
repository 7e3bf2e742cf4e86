import { addDays, insertInChunks, rngFor, SUBSTANCE_CODES, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import {
  AddictionAssessment,
  AddictionSeverity,
  AssessmentResult,
  DoseRecord,
  EnrollmentStatus,
  Facility,
  FacilityKind,
  MethadoneEnrollment,
} from './entities.js';

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

/** Writes the health part of the synthetic province: facilities, assessments, methadone enrolments and daily doses. */
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
  }));
  const clinicCommunes = f.helpers.arrayElements(p.communes, Math.min(p.communes.length, n(8)));
  for (const c of clinicCommunes) {
    facilities.push({ name: `Cơ sở điều trị Methadone – Trung tâm Y tế khu vực ${c.name}`, kind: FacilityKind.METHADONE_CLINIC, communeCode: c.code, canAssessAddiction: true });
  }
  const withoutClinic = p.communes.filter((c) => !clinicCommunes.includes(c));
  for (const c of f.helpers.arrayElements(withoutClinic, Math.min(withoutClinic.length, n(10)))) {
    facilities.push({ name: `Điểm cấp phát thuốc Methadone ${c.name}`, kind: FacilityKind.DISPENSING_POINT, communeCode: c.code, canAssessAddiction: false });
  }
  for (const i of [1, 2]) {
    const c = f.helpers.arrayElement(p.communes);
    facilities.push({ name: `Cơ sở cai nghiện ma túy công lập số ${i} tỉnh ${p.province.name}`, kind: FacilityKind.PUBLIC_REHAB, communeCode: c.code, canAssessAddiction: true });
  }
  const privateAt = f.helpers.arrayElement(p.communes);
  facilities.push({ name: `Cơ sở cai nghiện ma túy tự nguyện ${privateAt.name}`, kind: FacilityKind.PRIVATE_REHAB, communeCode: privateAt.code, canAssessAddiction: false });
  await insertInChunks(em, Facility, facilities, 500, (d) => progress('facilities', d, facilities.length));

  // Ids come from the database (sequences stay right on PostgreSQL); read them back once.
  const saved = await em.find(Facility, {}, { orderBy: { id: 'asc' } });
  const stationOf = new Map(saved.filter((x) => x.kind === FacilityKind.COMMUNE_HEALTH_STATION).map((x) => [x.communeCode, x]));
  const clinics = saved.filter((x) => x.kind === FacilityKind.METHADONE_CLINIC);
  const clinicOf = new Map(clinics.map((x) => [x.communeCode, x]));
  const rehabs = saved.filter((x) => x.kind === FacilityKind.PUBLIC_REHAB);

  // Assessments: every addict, and about 30 % of users (mostly found not addicted).
  const assessments: Partial<AddictionAssessment>[] = [];
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
  }
  await insertInChunks(em, AddictionAssessment, assessments, 500, (d) => progress('addiction assessments', d, assessments.length));

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
      };
    }
  }
  await insertInChunks(em, DoseRecord, doses, 1000, (d) => progress('dose records', d, doses.length));

  return {
    facility: facilities.length,
    addiction_assessment: assessments.length,
    methadone_enrollment: enrollments.length,
    dose_record: doses.length,
  };
}
