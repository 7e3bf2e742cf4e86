import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, LegalAidRequest } from './entities.js';
import { importers } from './importers.js';
import { migrations } from './migrations/index.js';
import { LegalAidMutationResolver } from './mutations.js';
import { CommunePeriod, ProvincePeriod, references, resolvers } from './resolvers/index.js';
import { seedLegalAid } from './seed.js';

/** Sở Tư pháp — Trung tâm trợ giúp pháp lý nhà nước: legal-aid requests, eligibility, service, providers, status history and outcome. */
export const legalAid: SubgraphDefinition = {
  name: 'legal-aid',
  entities,
  resolvers: [...resolvers, LegalAidMutationResolver],
  // Only reachable through `_entities`, so type-graphql must be told to keep them.
  orphanedTypes: [CommunePeriod, ProvincePeriod],
  references,
  migrations,
  seededWhenAny: LegalAidRequest,
  seed: seedLegalAid,
  importers,
};

export default legalAid;
