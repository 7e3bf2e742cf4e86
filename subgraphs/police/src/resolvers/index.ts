import { periodReferences, type SubgraphContext } from '@pcmt/kit';
import { DrugCase, Person } from '../entities.js';
import { figures } from '../figures.js';
import { communeOf, CommunePeriod, ProvincePeriod } from './shared.js';
// Loaded in this order on purpose: type-graphql prints queries and pages in the order their
// classes are declared, and the committed SDL follows the order below.
import { PersonResolver } from './persons.js';
import { CaseSeizedItemResolver, CaseSuspectResolver, DrugCaseResolver } from './cases.js';
import { ManagementFileResolver } from './management-files.js';
import { CultivationSiteResolver, HotspotResolver, RetailDealerResolver } from './places.js';
import { WantedPersonResolver } from './wanted.js';
import { CommuneDrugSituationResolver, CommuneResolver } from './communes.js';

export { Commune, CommunePeriod, ProvincePeriod, Substance } from './shared.js';

export const resolvers = [
  PersonResolver,
  DrugCaseResolver,
  CaseSeizedItemResolver,
  CaseSuspectResolver,
  ManagementFileResolver,
  HotspotResolver,
  RetailDealerResolver,
  CultivationSiteResolver,
  WantedPersonResolver,
  CommuneDrugSituationResolver,
  CommuneResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

export const references = {
  Person: {
    __resolveReference: (ref: { citizenId: string }, ctx: SubgraphContext) => ctx.loaders.one(Person, 'citizenId').load(ref.citizenId),
  },
  DrugCase: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(DrugCase, 'id').load(ref.id),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
