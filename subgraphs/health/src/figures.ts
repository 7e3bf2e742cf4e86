import { defineFigures, lastYear, LocalDate, type PeriodBounds } from '@pcmt/kit';
import {
  AddictionAssessment,
  AssessmentResult,
  AssessmentSubstance,
  Counselling,
  EnrollmentStatusChange,
  Facility,
  FACILITY_REHAB_FORMS,
  FacilityKind,
  GOOD_EXITS,
  IN_TREATMENT,
  RehabEpisode,
  RehabForm,
} from './entities.js';

const OPERATING = 'operating by the last day of the period (opened on or before it, or with no opening date), counted in the commune where the facility stands';

/** Facilities of a kind operating by the period end: opened on or before it, or before records began. */
const facilities = (kind: FacilityKind, more: Record<string, unknown> = {}) => ({
  entity: Facility,
  where: (p: PeriodBounds) => ({ kind, $or: [{ openedOn: null }, { openedOn: { $lte: p.to } }], ...more }),
});

/** Substances of the opioid group (các chất dạng thuốc phiện) an assessment may name. */
const OPIOIDS = ['HEROIN', 'OPIUM'] as const;

/** Rows whose [startedOn, endedOn] overlaps the period; an open episode runs on. */
const overlapping = (p: PeriodBounds) => ({ startedOn: { $lte: p.to }, $or: [{ endedOn: null }, { endedOn: { $gte: p.from } }] });

/** Distinct enrolments (patients) in the status history; counts of persons are small-cell. */
const patients = { entity: EnrollmentStatusChange, aggregate: { countDistinct: 'enrollment' }, smallCell: true } as const;

const persons = (entity: typeof AddictionAssessment | typeof Counselling | typeof RehabEpisode) => ({ entity, aggregate: { countDistinct: 'citizenId' }, smallCell: true }) as const;

/** The health figures of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures(
  'health',
  {
    communesWithRehabReceptionPoint: {
      communesWith: 'rehabReceptionPoints',
      description:
        'Codes of the communes with at least one community rehab reception point (điểm tiếp nhận, tư vấn cai nghiện) operating by the last day of the period (indicator e)',
      tagOrder: 'declared',
    },
    healthStations: { ...facilities(FacilityKind.COMMUNE_HEALTH_STATION), description: `Trạm y tế xã: COMMUNE_HEALTH_STATION facilities ${OPERATING}` },
    healthStationsAbleToAssess: {
      ...facilities(FacilityKind.COMMUNE_HEALTH_STATION, { canAssessAddiction: true }),
      description: `Trạm y tế xã đủ điều kiện xác định tình trạng nghiện: COMMUNE_HEALTH_STATION facilities able to assess addiction, ${OPERATING}`,
    },
    publicRehabFacilities: { ...facilities(FacilityKind.PUBLIC_REHAB), description: `Cơ sở cai nghiện ma túy công lập: PUBLIC_REHAB facilities ${OPERATING}` },
    publicRehabFacilitiesAbleToAssess: {
      ...facilities(FacilityKind.PUBLIC_REHAB, { canAssessAddiction: true }),
      description: `Cơ sở cai nghiện công lập đủ điều kiện xác định tình trạng nghiện: PUBLIC_REHAB facilities able to assess addiction, ${OPERATING}`,
    },
    rehabReceptionPoints: {
      ...facilities(FacilityKind.COMMUNITY_REHAB_POINT),
      description: `Điểm tiếp nhận, tư vấn, hỗ trợ cai nghiện tại cộng đồng: COMMUNITY_REHAB_POINT facilities ${OPERATING}`,
    },
    // A status-history entry is in force from its day up to the day the next one takes over.
    methadonePatientsInTreatment: {
      ...patients,
      where: (p) => ({ status: { $in: [...IN_TREATMENT] }, changedOn: { $lte: p.to }, $or: [{ supersededOn: null }, { supersededOn: { $gte: p.from } }] }),
      description:
        'Bệnh nhân điều trị Methadone trong kỳ: enrolments in treatment (ACTIVE or SUSPENDED) on at least one day of the period, by the status history — started on or before the last day and not ended (DROPPED_OUT, TRANSFERRED, COMPLETED, DIED, ARRESTED) before the first day; counted in the patient’s commune',
    },
    methadonePatientsRetained: {
      ...patients,
      where: (p) => ({
        $or: [
          { status: { $in: [...IN_TREATMENT] }, changedOn: { $lte: p.to }, $and: [{ $or: [{ supersededOn: null }, { supersededOn: { $gt: p.to } }] }] },
          { status: { $in: [...GOOD_EXITS] }, changedOn: { $gte: p.from, $lte: p.to } },
        ],
      }),
      description:
        'Bệnh nhân Methadone được duy trì điều trị: of methadonePatientsInTreatment, those whose status on the last day of the period is ACTIVE or SUSPENDED, or who left during the period by COMPLETED (tapered off) or TRANSFERRED (treated elsewhere). Not retained: status DROPPED_OUT (a month without a dose), ARRESTED or DIED on the last day of the period — a patient who dropped out and was re-activated within the period counts as retained',
    },
    methadonePatientsAtEnd: {
      atPeriodEnd: true,
      ...patients,
      where: (p) => ({ status: { $in: [...IN_TREATMENT] }, changedOn: { $lte: p.to }, $or: [{ supersededOn: null }, { supersededOn: { $gt: p.to } }] }),
      description: 'Bệnh nhân đang điều trị thay thế cuối kỳ: enrolments whose status on the last day of the period is ACTIVE or SUSPENDED (indicator i1 numerator)',
    },
    // i1 counts persons the seed names, "người nghiện các chất dạng thuốc phiện": an enrolment without such an assessment is not one.
    opioidAddictsInTreatment: {
      atPeriodEnd: true,
      entity: EnrollmentStatusChange,
      aggregate: { countDistinct: 'enrollment.citizenId' },
      smallCell: true,
      where: (p) => ({
        status: { $in: [...IN_TREATMENT] },
        changedOn: { $lte: p.to },
        $or: [{ supersededOn: null }, { supersededOn: { $gt: p.to } }],
        $exists: {
          entity: AssessmentSubstance,
          match: { 'assessment.citizenId': 'enrollment.citizenId' },
          where: { substanceCode: { $in: [...OPIOIDS] }, assessment: { result: AssessmentResult.ADDICTED, assessedOn: { $lte: p.to } } },
        },
      }),
      description:
        'Người nghiện các chất dạng thuốc phiện đang điều trị thay thế cuối kỳ: distinct persons whose enrolment is ACTIVE or SUSPENDED on the last day of the period and who have an ADDICTED assessment naming heroin or opium made on or before that day (indicator i1 numerator; an enrolment without one does not count)',
    },
    opioidAddictsAssessed: {
      atPeriodEnd: true,
      entity: AssessmentSubstance,
      aggregate: { countDistinct: 'assessment.citizenId' },
      smallCell: true,
      where: (p) => ({ substanceCode: { $in: [...OPIOIDS] }, assessment: { result: AssessmentResult.ADDICTED, assessedOn: { $lte: p.to } } }),
      description:
        'Người nghiện các chất dạng thuốc phiện: distinct persons with an ADDICTED assessment naming heroin or opium, made on or before the last day of the period (indicator i1 denominator)',
    },
    // What Commune.addictionAssessmentCount answers callers who may not see identities (one period, table rule).
    addictionAssessments: {
      entity: AddictionAssessment,
      period: 'assessedOn',
      smallCell: true,
      description: 'Lượt xác định tình trạng nghiện: addiction-status assessments dated in the period (any result), counted in the commune recorded with the assessment',
    },
    personsAssessedAddicted: {
      atPeriodEnd: true,
      ...persons(AddictionAssessment),
      where: (p) => ({ result: AssessmentResult.ADDICTED, assessedOn: { $lte: p.to } }),
      description:
        'Người được xác định nghiện: distinct persons with an ADDICTED assessment made on or before the last day of the period, counted in the commune recorded with the assessment',
    },
    personsCounselled: {
      ...persons(Counselling),
      period: 'counselledOn',
      description:
        'Người được tư vấn, can thiệp y tế / tâm lý: distinct persons with at least one counselling session dated in the period, counted in the commune recorded with the session',
    },
    personsInFacilityRehab: {
      ...persons(RehabEpisode),
      where: (p) => ({ form: { $in: [...FACILITY_REHAB_FORMS] }, ...overlapping(p) }),
      description:
        'Người cai nghiện tại cơ sở: distinct persons with a VOLUNTARY_FACILITY or COMPULSORY rehab episode that overlaps the period (started on or before its last day, not ended before its first day)',
    },
    personsInCommunityRehab: {
      ...persons(RehabEpisode),
      where: (p) => ({ form: RehabForm.VOLUNTARY_HOME_COMMUNITY, ...overlapping(p) }),
      description: 'Người cai nghiện tự nguyện tại gia đình, cộng đồng: distinct persons with a VOLUNTARY_HOME_COMMUNITY episode that overlaps the period',
    },
    ...lastYear(['personsInCommunityRehab']),
    // Until when health has records for the place: later periods have no data yet.
    healthCounsellingSince: {
      entity: Counselling,
      aggregate: { min: 'counselledOn' },
      type: LocalDate,
      description: 'Ngày có số liệu đầu tiên (tư vấn): the earliest counselling day recorded in the place; periods that end before it have no health data',
    },
    healthAssessmentsSince: {
      entity: AddictionAssessment,
      aggregate: { min: 'assessedOn' },
      type: LocalDate,
      description: 'Ngày có số liệu đầu tiên (xác định tình trạng nghiện): the earliest assessment day recorded in the place',
    },
    healthAssessmentsThrough: {
      entity: AddictionAssessment,
      aggregate: { max: 'assessedOn' },
      type: LocalDate,
      description: 'Ngày có số liệu gần nhất (xác định tình trạng nghiện): the latest assessment day recorded in the place, whatever the period',
    },
    healthCounsellingThrough: {
      entity: Counselling,
      aggregate: { max: 'counselledOn' },
      type: LocalDate,
      description: 'Ngày có số liệu gần nhất (tư vấn): the latest counselling day recorded in the place, whatever the period',
    },
  },
  { tagOrder: 'reversed' },
);
