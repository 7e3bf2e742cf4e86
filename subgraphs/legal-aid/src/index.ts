import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, LegalAidRequest } from './entities.js';
import { migrations } from './migrations/index.js';
import { references, resolvers } from './resolvers.js';
import { seedLegalAid } from './seed.js';

/** Sở Tư pháp — Trung tâm trợ giúp pháp lý nhà nước: legal-aid requests, eligibility, service and outcome. */
export const legalAid: SubgraphDefinition = {
  name: 'legal-aid',
  entities,
  resolvers: [...resolvers],
  references,
  migrations,
  seededWhenAny: LegalAidRequest,
  seed: seedLegalAid,
};

export default legalAid;
