import type { SubgraphDefinition } from '@pcmt/kit';
import { BorderGate, entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { references, resolvers } from './resolvers.js';
import { seedCustoms } from './seed.js';

/** Hải quan, Bộ đội Biên phòng, Cảnh sát biển: border gates, drug seizures, what was seized and from whom. */
export const customs: SubgraphDefinition = {
  name: 'customs',
  entities,
  resolvers: [...resolvers],
  references,
  migrations,
  seededWhenAny: BorderGate,
  seed: seedCustoms,
};

export default customs;
