import type { SubgraphContext } from '@pcmt/kit';
import { Scopes, Sensitive } from '@pcmt/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { CaseSuspect, CommuneDrugSituation, CultivationSite, DrugCase, Hotspot, ManagementFile, Person, RetailDealer, WantedPerson } from './entities.js';
import * as i from './inputs.js';
import * as w from './writes.js';

/**
 * What the police record day to day. Every mutation validates all fields at once (errors in
 * `extensions.fieldErrors`), writes in one transaction and honours `input.idempotencyKey`.
 *
 * `sensitive` on a write that names a person (citizen ID in its input): the gateway asks for a purpose
 * and audits the attempt under that person, whether the write is refused or not.
 */
@Resolver()
export class PoliceMutations {
  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => Person, { description: 'Enter a person into the population register (đăng ký nhân khẩu)' })
  async registerPerson(@Arg('input', () => i.RegisterPersonInput) input: i.RegisterPersonInput, @Ctx() ctx: SubgraphContext) {
    return (await w.registerPerson(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => DrugCase, { description: 'Open a drug case (vụ án) with its seized substances and suspects; it starts REPORTED' })
  async openDrugCase(@Arg('input', () => i.OpenDrugCaseInput) input: i.OpenDrugCaseInput, @Ctx() ctx: SubgraphContext) {
    return (await w.openDrugCase(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => DrugCase, { description: 'Move a case along its lifecycle: REPORTED → INVESTIGATING → PROSECUTED → TRIED → CLOSED, or close it early' })
  async changeDrugCaseStatus(@Arg('input', () => i.ChangeDrugCaseStatusInput) input: i.ChangeDrugCaseStatusInput, @Ctx() ctx: SubgraphContext) {
    return (await w.changeDrugCaseStatus(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => CaseSuspect, { description: 'Add a suspect to a case that is not closed' })
  async addCaseSuspect(@Arg('input', () => i.AddCaseSuspectInput) input: i.AddCaseSuspectInput, @Ctx() ctx: SubgraphContext) {
    return (await w.addCaseSuspect(ctx.em, input)).result;
  }

  @Scopes('police:write')
  @Mutation(() => Hotspot, { description: 'Record a detected hotspot (điểm, tụ điểm ma túy)' })
  async recordHotspot(@Arg('input', () => i.RecordHotspotInput) input: i.RecordHotspotInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordHotspot(ctx.em, input)).result;
  }

  @Scopes('police:write')
  @Mutation(() => Hotspot, { description: 'Record that an active hotspot was dismantled (triệt xóa)' })
  async dismantleHotspot(@Arg('input', () => i.DismantleHotspotInput) input: i.DismantleHotspotInput, @Ctx() ctx: SubgraphContext) {
    return (await w.dismantleHotspot(ctx.em, input)).result;
  }

  @Scopes('police:write')
  @Mutation(() => Hotspot, { description: 'Record that a dismantled hotspot is operating again (tái hoạt động)' })
  async recordHotspotRecurrence(@Arg('input', () => i.RecordHotspotRecurrenceInput) input: i.RecordHotspotRecurrenceInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordHotspotRecurrence(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => ManagementFile, { description: 'Open a management file (lập hồ sơ quản lý) for a person without an open one' })
  async openManagementFile(@Arg('input', () => i.OpenManagementFileInput) input: i.OpenManagementFileInput, @Ctx() ctx: SubgraphContext) {
    return (await w.openManagementFile(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => ManagementFile, { description: 'Close an open management file' })
  async closeManagementFile(@Arg('input', () => i.CloseManagementFileInput) input: i.CloseManagementFileInput, @Ctx() ctx: SubgraphContext) {
    return (await w.closeManagementFile(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => RetailDealer, { description: 'Record a retail dealer (đối tượng bán lẻ) detected in a commune' })
  async recordRetailDealer(@Arg('input', () => i.RecordRetailDealerInput) input: i.RecordRetailDealerInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordRetailDealer(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => RetailDealer, { description: 'Record that an active retail dealer was arrested, sanctioned or stopped' })
  async dealWithRetailDealer(@Arg('input', () => i.DealWithRetailDealerInput) input: i.DealWithRetailDealerInput, @Ctx() ctx: SubgraphContext) {
    return (await w.dealWithRetailDealer(ctx.em, input)).result;
  }

  @Scopes('police:write')
  @Mutation(() => CultivationSite, { description: 'Record a site of illegal drug-plant cultivation' })
  async recordCultivationSite(@Arg('input', () => i.RecordCultivationSiteInput) input: i.RecordCultivationSiteInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordCultivationSite(ctx.em, input)).result;
  }

  @Scopes('police:write')
  @Mutation(() => CultivationSite, { description: 'Record that a cultivation site was destroyed (phá bỏ)' })
  async destroyCultivationSite(@Arg('input', () => i.DestroyCultivationSiteInput) input: i.DestroyCultivationSiteInput, @Ctx() ctx: SubgraphContext) {
    return (await w.destroyCultivationSite(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => WantedPerson, { description: 'Record a wanted notice (quyết định truy nã)' })
  async recordWantedPerson(@Arg('input', () => i.RecordWantedPersonInput) input: i.RecordWantedPersonInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordWantedPerson(ctx.em, input)).result;
  }

  @Sensitive()
  @Scopes('police:write')
  @Mutation(() => WantedPerson, { description: 'Record that a wanted person was caught or surrendered' })
  async recordWantedPersonCaught(@Arg('input', () => i.RecordWantedPersonCaughtInput) input: i.RecordWantedPersonCaughtInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordWantedPersonCaught(ctx.em, input)).result;
  }

  @Scopes('police:write')
  @Mutation(() => CommuneDrugSituation, { description: 'Classify a commune by its drug situation for a year (replaces that year’s earlier classification)' })
  async classifyCommune(@Arg('input', () => i.ClassifyCommuneInput) input: i.ClassifyCommuneInput, @Ctx() ctx: SubgraphContext) {
    return (await w.classifyCommune(ctx.em, input)).result;
  }
}
