import type { SubgraphContext } from '@pcmt/kit';
import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { CaseSuspect, CommuneDrugSituation, CultivationSite, DrugCase, Hotspot, ManagementFile, Person, RetailDealer, WantedPerson } from './entities.js';
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
  @Directive('@tag(name: "sensitive")')
  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => Person, { description: 'Enter a person into the population register (đăng ký nhân khẩu)' })
  async registerPerson(@Arg('input', () => w.RegisterPersonInput) input: w.RegisterPersonInput, @Ctx() ctx: SubgraphContext) {
    return (await w.registerPerson(ctx.em, input)).result;
  }

  @Directive('@tag(name: "sensitive")')
  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => DrugCase, { description: 'Open a drug case (vụ án) with its seized substances and suspects; it starts REPORTED' })
  async openDrugCase(@Arg('input', () => w.OpenDrugCaseInput) input: w.OpenDrugCaseInput, @Ctx() ctx: SubgraphContext) {
    return (await w.openDrugCase(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => DrugCase, { description: 'Move a case along its lifecycle: REPORTED → INVESTIGATING → PROSECUTED → TRIED → CLOSED, or close it early' })
  async changeDrugCaseStatus(@Arg('input', () => w.ChangeDrugCaseStatusInput) input: w.ChangeDrugCaseStatusInput, @Ctx() ctx: SubgraphContext) {
    return (await w.changeDrugCaseStatus(ctx.em, input)).result;
  }

  @Directive('@tag(name: "sensitive")')
  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => CaseSuspect, { description: 'Add a suspect to a case that is not closed' })
  async addCaseSuspect(@Arg('input', () => w.AddCaseSuspectInput) input: w.AddCaseSuspectInput, @Ctx() ctx: SubgraphContext) {
    return (await w.addCaseSuspect(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => Hotspot, { description: 'Record a detected hotspot (điểm, tụ điểm ma túy)' })
  async recordHotspot(@Arg('input', () => w.RecordHotspotInput) input: w.RecordHotspotInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordHotspot(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => Hotspot, { description: 'Record that an active hotspot was dismantled (triệt xóa)' })
  async dismantleHotspot(@Arg('input', () => w.DismantleHotspotInput) input: w.DismantleHotspotInput, @Ctx() ctx: SubgraphContext) {
    return (await w.dismantleHotspot(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => Hotspot, { description: 'Record that a dismantled hotspot is operating again (tái hoạt động)' })
  async recordHotspotRecurrence(@Arg('input', () => w.RecordHotspotRecurrenceInput) input: w.RecordHotspotRecurrenceInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordHotspotRecurrence(ctx.em, input)).result;
  }

  @Directive('@tag(name: "sensitive")')
  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => ManagementFile, { description: 'Open a management file (lập hồ sơ quản lý) for a person without an open one' })
  async openManagementFile(@Arg('input', () => w.OpenManagementFileInput) input: w.OpenManagementFileInput, @Ctx() ctx: SubgraphContext) {
    return (await w.openManagementFile(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => ManagementFile, { description: 'Close an open management file' })
  async closeManagementFile(@Arg('input', () => w.CloseManagementFileInput) input: w.CloseManagementFileInput, @Ctx() ctx: SubgraphContext) {
    return (await w.closeManagementFile(ctx.em, input)).result;
  }

  @Directive('@tag(name: "sensitive")')
  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => RetailDealer, { description: 'Record a retail dealer (đối tượng bán lẻ) detected in a commune' })
  async recordRetailDealer(@Arg('input', () => w.RecordRetailDealerInput) input: w.RecordRetailDealerInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordRetailDealer(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => RetailDealer, { description: 'Record that an active retail dealer was arrested, sanctioned or stopped' })
  async dealWithRetailDealer(@Arg('input', () => w.DealWithRetailDealerInput) input: w.DealWithRetailDealerInput, @Ctx() ctx: SubgraphContext) {
    return (await w.dealWithRetailDealer(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => CultivationSite, { description: 'Record a site of illegal drug-plant cultivation' })
  async recordCultivationSite(@Arg('input', () => w.RecordCultivationSiteInput) input: w.RecordCultivationSiteInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordCultivationSite(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => CultivationSite, { description: 'Record that a cultivation site was destroyed (phá bỏ)' })
  async destroyCultivationSite(@Arg('input', () => w.DestroyCultivationSiteInput) input: w.DestroyCultivationSiteInput, @Ctx() ctx: SubgraphContext) {
    return (await w.destroyCultivationSite(ctx.em, input)).result;
  }

  @Directive('@tag(name: "sensitive")')
  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => WantedPerson, { description: 'Record a wanted notice (quyết định truy nã)' })
  async recordWantedPerson(@Arg('input', () => w.RecordWantedPersonInput) input: w.RecordWantedPersonInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordWantedPerson(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => WantedPerson, { description: 'Record that a wanted person was caught or surrendered' })
  async recordWantedPersonCaught(@Arg('input', () => w.RecordWantedPersonCaughtInput) input: w.RecordWantedPersonCaughtInput, @Ctx() ctx: SubgraphContext) {
    return (await w.recordWantedPersonCaught(ctx.em, input)).result;
  }

  @Directive('@tag(name: "scope:police:write")')
  @Mutation(() => CommuneDrugSituation, { description: 'Classify a commune by its drug situation for a year (replaces that year’s earlier classification)' })
  async classifyCommune(@Arg('input', () => w.ClassifyCommuneInput) input: w.ClassifyCommuneInput, @Ctx() ctx: SubgraphContext) {
    return (await w.classifyCommune(ctx.em, input)).result;
  }
}
