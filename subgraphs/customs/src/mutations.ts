import type { SubgraphContext } from '@pcmt/kit';
import { Scopes, Sensitive } from '@pcmt/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { PrecursorLicence, PrecursorViolation, Seizure } from './entities.js';
import { HandOverSeizureInput, RecordPrecursorViolationInput, RegisterPrecursorLicenceInput, RegisterSeizureInput } from './inputs.js';
import { handOverSeizure, recordPrecursorViolation, registerPrecursorLicence, registerSeizure } from './writes.js';

/**
 * What customs, the border guard and the coast guard record day to day. Field errors list every problem at once.
 *
 * `sensitive` on a write that names a person (citizen ID in its input): the gateway asks for a purpose
 * and audits the attempt under that person, whether the write is refused or not.
 */
@Resolver()
export class CustomsMutations {
  @Sensitive()
  @Scopes('customs:write')
  @Mutation(() => Seizure, { description: 'Ghi nhận vụ bắt giữ: the seizure, its items and its suspects, all or nothing' })
  async registerSeizure(@Arg('input', () => RegisterSeizureInput) input: RegisterSeizureInput, @Ctx() ctx: SubgraphContext) {
    return (await registerSeizure(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('customs:write')
  @Mutation(() => Seizure, { description: 'Bàn giao vụ bắt giữ cho cơ quan điều tra: hands a seizure over to a police case (once; again to the same case is a no-op)' })
  async handOverSeizure(@Arg('input', () => HandOverSeizureInput) input: HandOverSeizureInput, @Ctx() ctx: SubgraphContext) {
    return (await handOverSeizure(ctx.em, input)).result;
  }

  @Scopes('customs:write')
  @Mutation(() => PrecursorLicence, { description: 'Cấp giấy phép xuất/nhập khẩu tiền chất' })
  async registerPrecursorLicence(@Arg('input', () => RegisterPrecursorLicenceInput) input: RegisterPrecursorLicenceInput, @Ctx() ctx: SubgraphContext) {
    return (await registerPrecursorLicence(ctx.em, input)).result;
  }

  @Scopes('customs:write')
  @Mutation(() => PrecursorViolation, { description: 'Ghi nhận vi phạm về tiền chất' })
  async recordPrecursorViolation(@Arg('input', () => RecordPrecursorViolationInput) input: RecordPrecursorViolationInput, @Ctx() ctx: SubgraphContext) {
    return (await recordPrecursorViolation(ctx.em, input)).result;
  }
}
