import type { SubgraphContext } from '@pcmt/kit';
import { Scopes, Sensitive } from '@pcmt/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { LegalAidProvider, LegalAidRequest } from './entities.js';
import {
  AcceptLegalAidRequestInput,
  CompleteLegalAidInput,
  RefuseLegalAidRequestInput,
  RegisterLegalAidProviderInput,
  RegisterLegalAidRequestInput,
  StartLegalAidInput,
} from './inputs.js';
import {
  acceptLegalAidRequest,
  completeLegalAid,
  refuseLegalAidRequest,
  registerLegalAidProvider,
  registerLegalAidRequest,
  startLegalAid,
} from './writes.js';

/**
 * The centre's writes; the checks and the transaction live in writes.ts, shared with the importer.
 *
 * `sensitive` on a write that names a person (citizen ID in its input): the gateway asks for a purpose
 * and audits the attempt under that person, whether the write is refused or not.
 */
@Resolver()
export class LegalAidMutationResolver {
  @Sensitive()
  @Scopes('legal-aid:write')
  @Mutation(() => LegalAidRequest, { description: 'Tiếp nhận yêu cầu trợ giúp pháp lý: records a new request as RECEIVED' })
  async registerLegalAidRequest(@Arg('input', () => RegisterLegalAidRequestInput) input: RegisterLegalAidRequestInput, @Ctx() ctx: SubgraphContext) {
    return (await registerLegalAidRequest(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('legal-aid:write')
  @Mutation(() => LegalAidRequest, { description: 'Thụ lý: RECEIVED → ACCEPTED, assigning the người thực hiện trợ giúp pháp lý; not for NOT_ELIGIBLE' })
  async acceptLegalAidRequest(@Arg('input', () => AcceptLegalAidRequestInput) input: AcceptLegalAidRequestInput, @Ctx() ctx: SubgraphContext) {
    return (await acceptLegalAidRequest(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('legal-aid:write')
  @Mutation(() => LegalAidRequest, { description: 'Từ chối thụ lý: RECEIVED → REFUSED, with the reason' })
  async refuseLegalAidRequest(@Arg('input', () => RefuseLegalAidRequestInput) input: RefuseLegalAidRequestInput, @Ctx() ctx: SubgraphContext) {
    return (await refuseLegalAidRequest(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('legal-aid:write')
  @Mutation(() => LegalAidRequest, { description: 'Bắt đầu thực hiện trợ giúp pháp lý: ACCEPTED → IN_PROGRESS' })
  async startLegalAid(@Arg('input', () => StartLegalAidInput) input: StartLegalAidInput, @Ctx() ctx: SubgraphContext) {
    return (await startLegalAid(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('legal-aid:write')
  @Mutation(() => LegalAidRequest, { description: 'Kết thúc vụ việc: IN_PROGRESS (or ACCEPTED, for advice given at once) → COMPLETED, with the outcome' })
  async completeLegalAid(@Arg('input', () => CompleteLegalAidInput) input: CompleteLegalAidInput, @Ctx() ctx: SubgraphContext) {
    return (await completeLegalAid(ctx.em, input)).result;
  }

  @Scopes('legal-aid:write')
  @Mutation(() => LegalAidProvider, { description: 'Adds a trợ giúp viên pháp lý, or a lawyer or law firm under contract with the centre' })
  async registerLegalAidProvider(@Arg('input', () => RegisterLegalAidProviderInput) input: RegisterLegalAidProviderInput, @Ctx() ctx: SubgraphContext) {
    return (await registerLegalAidProvider(ctx.em, input)).result;
  }
}
