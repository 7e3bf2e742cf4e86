import { Scopes, type SubgraphContext } from '@pcmt/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Activity, Campaign, Enterprise, MediaOutlet, School } from './entities.js';
import { createCampaign, logActivity, openMediaColumn, registerEnterprise, registerMediaOutlet, registerSchool } from './writes.js';
import {
  CreateCampaignInput,
  LogActivityInput,
  RegisterSchoolInput,
  RegisterEnterpriseInput,
  RegisterMediaOutletInput,
  OpenMediaColumnInput,
} from './inputs.js';

/** Writes of Sở GD&ĐT, Sở VH-TT, Tỉnh đoàn, Liên đoàn Lao động and the press. */
@Resolver()
export class EducationMutations {
  @Scopes('education:write')
  @Mutation(() => Campaign, { description: 'Tạo chiến dịch tuyên truyền' })
  async createCampaign(@Arg('input', () => CreateCampaignInput) input: CreateCampaignInput, @Ctx() ctx: SubgraphContext) {
    return (await createCampaign(ctx.em, input)).result;
  }

  @Scopes('education:write')
  @Mutation(() => Activity, { description: 'Ghi nhận một hoạt động tuyên truyền của chiến dịch' })
  async logActivity(@Arg('input', () => LogActivityInput) input: LogActivityInput, @Ctx() ctx: SubgraphContext) {
    return (await logActivity(ctx.em, input)).result;
  }

  @Scopes('education:write')
  @Mutation(() => School, { description: 'Đăng ký trường học' })
  async registerSchool(@Arg('input', () => RegisterSchoolInput) input: RegisterSchoolInput, @Ctx() ctx: SubgraphContext) {
    return (await registerSchool(ctx.em, input)).result;
  }

  @Scopes('education:write')
  @Mutation(() => Enterprise, { description: 'Đăng ký doanh nghiệp (trong hoặc ngoài khu công nghiệp)' })
  async registerEnterprise(@Arg('input', () => RegisterEnterpriseInput) input: RegisterEnterpriseInput, @Ctx() ctx: SubgraphContext) {
    return (await registerEnterprise(ctx.em, input)).result;
  }

  @Scopes('education:write')
  @Mutation(() => MediaOutlet, { description: 'Đăng ký cơ quan báo chí cấp tỉnh' })
  async registerMediaOutlet(@Arg('input', () => RegisterMediaOutletInput) input: RegisterMediaOutletInput, @Ctx() ctx: SubgraphContext) {
    return (await registerMediaOutlet(ctx.em, input)).result;
  }

  @Scopes('education:write')
  @Mutation(() => MediaOutlet, { description: 'Mở chuyên mục phòng, chống ma túy của một cơ quan báo chí' })
  async openMediaColumn(@Arg('input', () => OpenMediaColumnInput) input: OpenMediaColumnInput, @Ctx() ctx: SubgraphContext) {
    return (await openMediaColumn(ctx.em, input)).result;
  }
}
