import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, Facility } from './entities.js';
import { migrations } from './migrations/index.js';
import { references, resolvers } from './resolvers.js';
import { seedHealth } from './seed.js';

/** Sở Y tế and public rehab facilities: facilities, addiction assessments, methadone treatment and daily doses. */
export const health: SubgraphDefinition = {
  name: 'health',
  entities,
  resolvers: [...resolvers],
  references,
  migrations,
  seededWhenAny: Facility,
  seed: seedHealth,
};

export default health;
