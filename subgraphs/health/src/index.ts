import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, Facility } from './entities.js';
import { importers } from './importers.js';
import { migrations } from './migrations/index.js';
import { HealthMutations } from './mutations.js';
import { CommunePeriod, ProvincePeriod, references, resolvers } from './resolvers/index.js';
import { seedHealth } from './seed.js';

/**
 * Sở Y tế and public rehab facilities: facilities, addiction assessments, methadone treatment (status
 * history, daily doses, urine tests), rehab episodes and counselling.
 */
export const health: SubgraphDefinition = {
  name: 'health',
  entities,
  resolvers: [...resolvers, HealthMutations],
  // Reached only through _entities: nothing in Query returns them.
  orphanedTypes: [CommunePeriod, ProvincePeriod],
  references,
  migrations,
  seededWhenAny: Facility,
  seed: seedHealth,
  importers,
};

export default health;
