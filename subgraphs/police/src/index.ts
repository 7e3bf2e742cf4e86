import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, Person } from './entities.js';
import { migrations } from './migrations/index.js';
import { references, resolvers } from './resolvers.js';
import { seedPolice } from './seed.js';

/** Công an tỉnh: drug cases, suspects, hotspots, management files and the population register. */
export const police: SubgraphDefinition = {
  name: 'police',
  entities,
  resolvers: [...resolvers],
  references,
  migrations,
  seededWhenAny: Person,
  seed: seedPolice,
};

export default police;
