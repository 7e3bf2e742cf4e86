import type { SubgraphContext } from '@pcmt/kit';
import { Scopes, Sensitive } from '@pcmt/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AntiDrugTeam, BorderGuardSeizure, JointOperation } from './entities.js';
import {
  HandOverBorderGuardSeizureInput,
  RecordEquipmentInput,
  RegisterBorderGuardSeizureInput,
  RegisterJointOperationInput,
} from './inputs.js';
import { handOverBorderGuardSeizure, recordEquipment, registerBorderGuardSeizure, registerJointOperation } from './writes.js';

/**
 * What the border guard records day to day. Field errors list every problem at once.
 * `sensitive` on a write that names a person: the gateway asks for a purpose and audits it under that person.
 */
@Resolver()
export class BorderGuardMutations {
  @Sensitive()
  @Scopes('border-guard:write')
  @Mutation(() => BorderGuardSeizure, { description: 'Ghi nhận vụ bắt giữ của Bộ đội Biên phòng: the seizure, its items and the persons held, all or nothing' })
  async registerBorderGuardSeizure(@Arg('input', () => RegisterBorderGuardSeizureInput) input: RegisterBorderGuardSeizureInput, @Ctx() ctx: SubgraphContext) {
    return (await registerBorderGuardSeizure(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('border-guard:write')
  @Mutation(() => BorderGuardSeizure, { description: 'Bàn giao vụ bắt giữ cho cơ quan điều tra: hands a seizure over to a police case (once; again the same way is a no-op)' })
  async handOverBorderGuardSeizure(@Arg('input', () => HandOverBorderGuardSeizureInput) input: HandOverBorderGuardSeizureInput, @Ctx() ctx: SubgraphContext) {
    return (await handOverBorderGuardSeizure(ctx.em, input)).result;
  }

  @Scopes('border-guard:write')
  @Mutation(() => AntiDrugTeam, { description: 'Ghi nhận trang bị: a unit, or one of its officers, now has modern weapons, support tools and technical means; returns the unit' })
  async recordAntiDrugEquipment(@Arg('input', () => RecordEquipmentInput) input: RecordEquipmentInput, @Ctx() ctx: SubgraphContext) {
    return (await recordEquipment(ctx.em, input)).result;
  }

  @Scopes('border-guard:write')
  @Mutation(() => JointOperation, { description: 'Mở chuyên án / kế hoạch phối hợp với Hải quan, Công an' })
  async registerJointOperation(@Arg('input', () => RegisterJointOperationInput) input: RegisterJointOperationInput, @Ctx() ctx: SubgraphContext) {
    return (await registerJointOperation(ctx.em, input)).result;
  }
}
