import type { SubgraphContext } from '@pcmt/kit';
import { Scopes, Sensitive } from '@pcmt/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AddictionAssessment, Counselling, DoseRecord, Facility, MethadoneEnrollment, RehabEpisode, UrineTest } from './entities.js';
import { ChangeEnrollmentStatusInput, EndRehabEpisodeInput, EnrolMethadonePatientInput, RecordAssessmentInput, RecordCounsellingInput, RecordDoseInput, RecordUrineTestInput, RegisterFacilityInput, StartRehabEpisodeInput } from './inputs.js';
import * as w from './writes.js';

/**
 * What health facilities record day to day. Every mutation validates all fields at once (errors in
 * `extensions.fieldErrors`), writes in one transaction and honours `input.idempotencyKey`.
 *
 * `sensitive` on a write that names a person (citizen ID in its input): the gateway asks for a purpose
 * and audits the attempt under that person, whether the write is refused or not.
 */
@Resolver()
export class HealthMutations {
  @Scopes('health:write')
  @Mutation(() => Facility, { description: 'Register a facility, e.g. a new community rehab reception point (điểm tiếp nhận, tư vấn cai nghiện)' })
  async registerFacility(@Arg('input', () => RegisterFacilityInput) input: RegisterFacilityInput, @Ctx() ctx: SubgraphContext) {
    return (await w.registerFacility(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => AddictionAssessment, { description: 'Record an addiction-status assessment (xác định tình trạng nghiện) made by a facility able to make it' })
  async recordAssessment(@Arg('input', () => RecordAssessmentInput) input: RecordAssessmentInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordAssessment(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => MethadoneEnrollment, { description: 'Enrol a patient in methadone treatment at a clinic; it starts ACTIVE. One enrolment in treatment per person.' })
  async enrolMethadonePatient(@Arg('input', () => EnrolMethadonePatientInput) input: EnrolMethadonePatientInput, @Ctx() ctx: SubgraphContext) {
    return (await w.enrolMethadonePatient(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => MethadoneEnrollment, {
    description:
      'Change an enrolment’s status and add it to the history. ACTIVE → SUSPENDED, DROPPED_OUT, TRANSFERRED, COMPLETED, DIED, ARRESTED; SUSPENDED → ACTIVE, DROPPED_OUT, DIED, ARRESTED; DROPPED_OUT → ACTIVE (re-enrolled); ARRESTED → ACTIVE; TRANSFERRED, COMPLETED, DIED are final. DROPPED_OUT needs 30 days without a dose.',
  })
  async changeEnrollmentStatus(@Arg('input', () => ChangeEnrollmentStatusInput) input: ChangeEnrollmentStatusInput, @Ctx() ctx: SubgraphContext) {
    return (await w.changeEnrollmentStatus(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => DoseRecord, { description: 'Record one day of dosing (cấp phát thuốc) for an enrolment ACTIVE on that day; one record per enrolment and day' })
  async recordDose(@Arg('input', () => RecordDoseInput) input: RecordDoseInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordDose(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => UrineTest, { description: 'Record a urine drug test (xét nghiệm nước tiểu) with a result per analyte' })
  async recordUrineTest(@Arg('input', () => RecordUrineTestInput) input: RecordUrineTestInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordUrineTest(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => RehabEpisode, { description: 'Record the start of a rehab episode (cai nghiện); a person has one open episode at a time' })
  async startRehabEpisode(@Arg('input', () => StartRehabEpisodeInput) input: StartRehabEpisodeInput, @Ctx() ctx: SubgraphContext) {
    return (await w.startRehabEpisode(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => RehabEpisode, { description: 'Record the end of an open rehab episode and its outcome' })
  async endRehabEpisode(@Arg('input', () => EndRehabEpisodeInput) input: EndRehabEpisodeInput, @Ctx() ctx: SubgraphContext) {
    return (await w.endRehabEpisode(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('health:write')
  @Mutation(() => Counselling, { description: 'Record a medical or psychological counselling session (tư vấn, can thiệp)' })
  async recordCounselling(@Arg('input', () => RecordCounsellingInput) input: RecordCounsellingInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordCounselling(ctx.em, input)).result;
  }
}
