import { addDays, insertInChunks, rngFor, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import { EligibilityGroup, LegalAidForm, LegalAidProvider, LegalAidProviderKind, LegalAidRequest, LegalAidStatus, LegalAidStatusChange } from './entities.js';

type Rng = ReturnType<typeof rngFor>;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
const min = (a: string, b: string) => (a < b ? a : b);

/** People and firms at scale 1: a centre of a mountain province has about a dozen trợ giúp viên pháp lý. */
const PROVIDER_COUNTS = { officers: 12, lawyers: 8, firms: 6 };

const RECEIVED_NOTE = 'Tiếp nhận yêu cầu trợ giúp pháp lý';
const ACCEPTED_NOTE = 'Thụ lý, cử người thực hiện trợ giúp pháp lý';
const STARTED_NOTE = 'Bắt đầu thực hiện trợ giúp pháp lý';

const OUTCOMES: Record<LegalAidForm, string[]> = {
  [LegalAidForm.DEFENCE_IN_PROCEEDINGS]: [
    'Tòa án áp dụng tình tiết giảm nhẹ trách nhiệm hình sự',
    'Được hưởng án treo',
    'Mức hình phạt thấp hơn đề nghị của Viện kiểm sát',
    'Chuyển tội danh nhẹ hơn',
    'Đình chỉ điều tra đối với người được trợ giúp',
    'Tòa án tuyên theo đề nghị của Viện kiểm sát',
  ],
  [LegalAidForm.ADVICE]: ['Đã tư vấn pháp luật, người được trợ giúp hiểu và thực hiện', 'Đã tư vấn pháp luật và hướng dẫn thủ tục'],
  [LegalAidForm.REPRESENTATION_OUTSIDE_COURT]: [
    'Hoàn thành đại diện ngoài tố tụng, quyền lợi được bảo đảm',
    'Hoàn thành đại diện ngoài tố tụng, quyền lợi được bảo đảm một phần',
  ],
};

const NOT_ELIGIBLE_REASON = 'Người yêu cầu không thuộc diện người được trợ giúp pháp lý (Điều 7 Luật Trợ giúp pháp lý 2017)';
const HAS_OWN_COUNSEL = 'Người bị buộc tội đã tự mời người bào chữa';

/** Groups open to someone accused in a case, and to anyone else asking for help. */
function eligibilityFor(f: Rng, age: number, accused: boolean): EligibilityGroup {
  if (f.number.float() < 0.08) return EligibilityGroup.NOT_ELIGIBLE;
  if (age < 16) return EligibilityGroup.CHILD;
  if (accused && age < 18) return EligibilityGroup.ACCUSED_AGED_16_18;
  // Cao Bằng is mostly ethnic minority communes in hard areas: the largest group by far.
  return f.helpers.weightedArrayElement([
    { value: EligibilityGroup.ETHNIC_MINORITY_HARD_AREA, weight: 45 },
    { value: EligibilityGroup.POOR_HOUSEHOLD, weight: 20 },
    { value: accused ? EligibilityGroup.ACCUSED_NEAR_POOR : EligibilityGroup.VICTIM, weight: 15 },
    { value: EligibilityGroup.DISABLED, weight: 5 },
    { value: EligibilityGroup.OTHER_FINANCIAL_HARDSHIP, weight: 15 },
  ]);
}

/** The centre's officers and its contracted lawyers and firms, from their own stream so requests stay as they were. */
function providersOf(p: SyntheticProvince): LegalAidProvider[] {
  const f = rngFor(p.seed, 'legal-aid/providers');
  const n = (base: number) => Math.max(1, Math.round(base * p.scale));
  // Provinces seeded together: each centre's codes carry its province code (TGV-20-01).
  const code = (prefix: string, i: number) => `${prefix}-${p.profile.serial ? `${p.province.code}-` : ''}${String(i + 1).padStart(2, '0')}`;
  const list = (count: number, make: (i: number) => LegalAidProvider) => Array.from({ length: n(count) }, (_, i) => make(i));
  return [
    ...list(PROVIDER_COUNTS.officers, (i) => ({ id: code('TGV', i), name: f.person.fullName(), kind: LegalAidProviderKind.LEGAL_AID_OFFICER })),
    ...list(PROVIDER_COUNTS.lawyers, (i) => ({ id: code('LS', i), name: `Luật sư ${f.person.fullName()}`, kind: LegalAidProviderKind.CONTRACTED_LAWYER })),
    ...list(PROVIDER_COUNTS.firms, (i) => ({ id: code('TCLS', i), name: `Văn phòng Luật sư số ${i + 1} tỉnh ${p.province.name}`, kind: LegalAidProviderKind.CONTRACTED_LAW_FIRM })),
  ];
}

/**
 * Writes the legal-aid centre's providers and requests (one per backbone request, handled as of the
 * year's end) with each request's status history: received, then accepted or refused, then started
 * and completed, on dates that never run backwards and never pass the year's end.
 */
export async function seedLegalAid(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'legal-aid');
  const asOf = `${p.year}-12-31`;
  const birthYear = new Map(p.persons.map((x) => [x.citizenId, x.birthYear]));
  const providers = providersOf(p);
  const officers = providers.filter((x) => x.kind === LegalAidProviderKind.LEGAL_AID_OFFICER);
  const contracted = providers.filter((x) => x.kind !== LegalAidProviderKind.LEGAL_AID_OFFICER);
  await insertInChunks(em, LegalAidProvider, providers, 500, (d) => progress('legal-aid providers', d, providers.length));
  const history: Partial<LegalAidStatusChange>[] = [];
  const change = (request: string, status: LegalAidStatus, changedOn: string, note: string) =>
    history.push({ request: request as any, status, changedOn, note });

  const rows = p.legalAid.map((r): Partial<LegalAidRequest> => {
    const accused = r.drugCaseId != null;
    const age = Number(r.receivedOn.slice(0, 4)) - (birthYear.get(r.citizenId) ?? 1990);
    const eligibilityGroup = eligibilityFor(f, age, accused);
    const serviceForm = accused
      ? f.helpers.weightedArrayElement([
          { value: LegalAidForm.DEFENCE_IN_PROCEEDINGS, weight: 85 },
          { value: LegalAidForm.ADVICE, weight: 10 },
          { value: LegalAidForm.REPRESENTATION_OUTSIDE_COURT, weight: 5 },
        ])
      : f.helpers.weightedArrayElement([
          { value: LegalAidForm.ADVICE, weight: 70 },
          { value: LegalAidForm.REPRESENTATION_OUTSIDE_COURT, weight: 30 },
        ]);
    // Drawn for every row whatever its status turns out to be, so the stream stays simple to follow.
    const refusedRoll = f.number.float();
    const firmRoll = f.number.float();
    const firm = f.number.int({ min: 0, max: contracted.length - 1 });
    const officer = f.number.int({ min: 0, max: officers.length - 1 });
    // Days from receipt to the decision (Điều 30: within 3 working days), and from acceptance to starting work.
    const decisionDays = f.number.int({ min: 0, max: 3 });
    const startDays = f.number.int({ min: 1, max: 7 });
    const outcome = f.helpers.arrayElement(OUTCOMES[serviceForm]);
    const elapsed = daysBetween(r.receivedOn, asOf);
    // Advice is given within days; defence lasts as long as the proceedings do.
    const duration = serviceForm === LegalAidForm.ADVICE ? f.number.int({ min: 1, max: 15 }) : f.number.int({ min: 30, max: 300 });

    let status: LegalAidStatus;
    let refusalReason: string | null = null;
    if (eligibilityGroup === EligibilityGroup.NOT_ELIGIBLE) {
      status = LegalAidStatus.REFUSED;
      refusalReason = NOT_ELIGIBLE_REASON;
    } else if (accused && refusedRoll < 0.015) {
      status = LegalAidStatus.REFUSED;
      refusalReason = HAS_OWN_COUNSEL;
    } else if (elapsed < 3) {
      status = LegalAidStatus.RECEIVED;
    } else if (elapsed < duration) {
      status = elapsed < 10 ? LegalAidStatus.ACCEPTED : LegalAidStatus.IN_PROGRESS;
    } else {
      status = LegalAidStatus.COMPLETED;
    }

    const served = status !== LegalAidStatus.RECEIVED && status !== LegalAidStatus.REFUSED;
    // Contracted lawyers take mostly defence work; staff handle most advice.
    const byFirm = firmRoll < (serviceForm === LegalAidForm.DEFENCE_IN_PROCEEDINGS ? 0.4 : 0.1);
    const completed = status === LegalAidStatus.COMPLETED;
    const provider = served ? (byFirm ? contracted[firm] : officers[officer]) : null;
    const completedOn = completed ? addDays(r.receivedOn, duration) : null;
    const last = completedOn ?? asOf;
    const decidedOn = min(addDays(r.receivedOn, decisionDays), last);

    change(r.id, LegalAidStatus.RECEIVED, r.receivedOn, RECEIVED_NOTE);
    if (status === LegalAidStatus.REFUSED) change(r.id, LegalAidStatus.REFUSED, decidedOn, refusalReason!);
    if (served) change(r.id, LegalAidStatus.ACCEPTED, decidedOn, ACCEPTED_NOTE);
    // Advice is given and closed at once; defence and representation are worked on first.
    const worked = status === LegalAidStatus.IN_PROGRESS || (completed && serviceForm !== LegalAidForm.ADVICE);
    if (worked) change(r.id, LegalAidStatus.IN_PROGRESS, min(addDays(decidedOn, startDays), last), STARTED_NOTE);
    if (completed) change(r.id, LegalAidStatus.COMPLETED, completedOn!, outcome);

    return {
      id: r.id,
      citizenId: r.citizenId,
      communeCode: r.communeCode,
      receivedOn: r.receivedOn,
      eligibilityGroup,
      drugCaseId: r.drugCaseId,
      status,
      refusalReason,
      serviceForm,
      provider: provider?.name ?? null,
      assignedProvider: (provider?.id ?? null) as any,
      acceptedOn: served ? decidedOn : null,
      completedOn,
      outcome: completed ? outcome : null,
    };
  });
  await insertInChunks(em, LegalAidRequest, rows, 500, (d) => progress('legal-aid requests', d, rows.length));
  await insertInChunks(em, LegalAidStatusChange, history, 1000, (d) => progress('legal-aid status changes', d, history.length));

  return { legal_aid_provider: providers.length, legal_aid_request: rows.length, legal_aid_status_change: history.length };
}

