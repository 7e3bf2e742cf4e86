import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, Person } from './entities.js';
import { importers } from './importers.js';
import { migrations } from './migrations/index.js';
import { PoliceMutations } from './mutations.js';
import { CommunePeriod, ProvincePeriod, references, resolvers } from './resolvers.js';
import { seedPolice } from './seed.js';

/**
 * Công an tỉnh: the population register, drug cases (seized items, suspects, wanted persons), hotspots,
 * retail dealers, illegal cultivation, management files and the communes' drug-situation classification.
 */
export const police: SubgraphDefinition = {
  name: 'police',
  entities,
  resolvers: [...resolvers, PoliceMutations],
  // Reached only through _entities: nothing in Query returns them.
  orphanedTypes: [CommunePeriod, ProvincePeriod],
  references,
  migrations,
  seededWhenAny: Person,
  seed: seedPolice,
  importers,
};

export default police;
