import { defineFigures, LocalDate, type Figure } from '@pcmt/kit';
import { EligibilityGroup, LegalAidRequest, LegalAidStatus, SERVED_STATUSES } from './entities.js';

/** Requests from persons entitled to legal aid: any group but NOT_ELIGIBLE. */
export const ELIGIBLE = { eligibilityGroup: { $ne: EligibilityGroup.NOT_ELIGIBLE } };

/** Requests (of persons: small-cell) received in the period, with their status as of now. */
const received = (description: string, where: Record<string, unknown> = {}): Figure => ({
  entity: LegalAidRequest,
  period: 'receivedOn',
  where,
  smallCell: true,
  description,
  provinceDescription: `${description}; sum over the province's communes`,
});

/** The legal-aid figures (indicator h and its context) of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures('legal-aid', {
  legalAidRequests: received('Yêu cầu trợ giúp pháp lý received (ngày tiếp nhận) in the period, whatever their eligibility or status'),
  eligibleLegalAidRequests: received(
    'Requests received in the period from persons eligible for legal aid (người thuộc diện được trợ giúp pháp lý: any group but NOT_ELIGIBLE); indicator h denominator',
    ELIGIBLE,
  ),
  servedLegalAidRequests: received(
    'Eligible requests received in the period that have been accepted (thụ lý) and are ACCEPTED, IN_PROGRESS or COMPLETED as of now; indicator h numerator',
    { ...ELIGIBLE, status: { $in: SERVED_STATUSES } },
  ),
  refusedEligibleLegalAidRequests: received('Eligible requests received in the period that were refused (từ chối thụ lý), status REFUSED as of now', {
    ...ELIGIBLE,
    status: LegalAidStatus.REFUSED,
  }),
  // Indicator h counts persons: one person asking twice is one person.
  eligibleLegalAidPersons: {
    ...received('Người thuộc diện được trợ giúp pháp lý có yêu cầu: distinct eligible persons with a request received in the period; indicator h denominator', ELIGIBLE),
    aggregate: { countDistinct: 'citizenId' },
  },
  servedLegalAidPersons: {
    ...received('Người được trợ giúp pháp lý: distinct eligible persons with a request received in the period that is ACCEPTED, IN_PROGRESS or COMPLETED as of now; indicator h numerator', {
      ...ELIGIBLE,
      status: { $in: SERVED_STATUSES },
    }),
    aggregate: { countDistinct: 'citizenId' },
  },
  legalAidRequestsThrough: {
    entity: LegalAidRequest,
    aggregate: { max: 'receivedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu gần nhất: the latest day a legal-aid request was received in the place, whatever the period',
  },
  legalAidRequestsSince: {
    entity: LegalAidRequest,
    aggregate: { min: 'receivedOn' },
    type: LocalDate,
    description: 'Ngày có số liệu đầu tiên: the earliest day a legal-aid request was received in the place',
  },
  // Counted by the closing day instead, whenever received.
  completedLegalAidRequests: {
    ...received('Requests closed (kết thúc vụ việc, status COMPLETED) with the closing day (completedOn) in the period, whenever received', { status: LegalAidStatus.COMPLETED }),
    period: 'completedOn',
  },
});
