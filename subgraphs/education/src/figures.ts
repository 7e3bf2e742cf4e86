import { defineFigures, LocalDate, type Figure } from '@pcmt/kit';
import { Activity, Enterprise, MediaOutlet, School, WorkerAttendance } from './entities.js';

const activities = { entity: Activity, period: 'heldOn' } as const;

const mainOutlets = { entity: MediaOutlet, province: 'provinceCode' } as const;

/** A commune figure whose ProvincePeriod description says how the province's is made. */
const summed = (f: Figure): Figure => ({ ...f, provinceDescription: `${f.description}; sum over the province's communes` });

/** The education figures of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures('education', {
  schools: summed({
    entity: School,
    description: 'Số trường học: all schools registered in the place (not period-dependent; the denominator of "drug education in 100 % of schools")',
  }),
  schoolsReached: summed({
    ...activities,
    aggregate: { countDistinct: 'school' },
    where: { school: { $ne: null } },
    description: 'Số trường được tuyên truyền: schools with at least one awareness activity held there whose date (heldOn) falls in the period; counted by the school’s commune',
  }),
  awarenessActivities: summed({ ...activities, description: 'Số hoạt động tuyên truyền held in the place, counted by the activity date (heldOn) in the period' }),
  participantsReached: summed({
    ...activities,
    aggregate: { sum: 'participants' },
    description: 'Lượt người được tuyên truyền: sum of participants of activities whose date (heldOn) falls in the period (a person attending twice counts twice)',
  }),
  industrialParkWorkers: summed({
    entity: Enterprise,
    aggregate: { sum: 'workers' },
    where: { industrialPark: { $ne: null } },
    description:
      'Số công nhân khu công nghiệp: workers of the enterprises registered in an industrial park in the place (current register, not period-dependent; the denominator of ">70 % of industrial-park workers")',
  }),
  industrialParkWorkersReached: summed({
    ...activities,
    aggregate: { sum: 'participants' },
    where: { enterprise: { industrialPark: { $ne: null } } },
    description:
      'Lượt công nhân khu công nghiệp được tuyên truyền: sum of participants of activities held at industrial-park enterprises whose date (heldOn) falls in the period. Attendances, not persons: a worker attending two sessions counts twice (persons: industrialParkWorkersReachedDistinct)',
  }),
  // g2 counts persons (004 g: "người lao động"): the attendance lists, not the participants column.
  industrialParkWorkersReachedDistinct: {
    entity: WorkerAttendance,
    aggregate: { countDistinct: 'workerKey' },
    period: 'activity.heldOn',
    where: { activity: { enterprise: { industrialPark: { $ne: null } } } },
    description:
      'Số công nhân khu công nghiệp được tuyên truyền: distinct workers (social-insurance number) on the attendance lists of activities held at industrial-park enterprises whose date (heldOn) falls in the period; a worker at two sessions counts once, an activity recorded without a list adds nobody',
    provinceDescription:
      "Số công nhân khu công nghiệp được tuyên truyền: distinct workers on the attendance lists of the province's industrial-park activities in the period; a worker on lists in two communes counts once",
  },
  educationActivitiesThrough: {
    entity: Activity,
    aggregate: { max: 'heldOn' },
    type: LocalDate,
    description: 'Ngày có số liệu gần nhất: the latest day an awareness activity was held in the place, whatever the period; periods that start after it have no education data yet',
  },
  educationActivitiesSince: {
    entity: Activity,
    aggregate: { min: 'heldOn' },
    type: LocalDate,
    description: 'Ngày có số liệu đầu tiên: the earliest day an awareness activity was held in the place; periods that end before it have no education data',
  },
  mainMediaOutlets: { ...mainOutlets, where: { main: true }, description: 'Số cơ quan báo chí chủ lực của tỉnh: main press outlets registered for the province (not period-dependent)' },
  mainMediaOutletsWithColumn: {
    ...mainOutlets,
    where: (p) => ({ main: true, columnSince: { $lte: p.to } }),
    description: 'Số cơ quan báo chí chủ lực có chuyên mục phòng, chống ma túy: main outlets whose dedicated column started (columnSince) on or before the last day of the period',
  },
});
