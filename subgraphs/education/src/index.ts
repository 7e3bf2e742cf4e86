import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, School } from './entities.js';
import { migrations } from './migrations/index.js';
import { references, resolvers } from './resolvers.js';
import { seedEducation } from './seed.js';

/** Sở GD&ĐT, Sở VH-TT, Tỉnh đoàn, Liên đoàn Lao động and press: awareness campaigns, their activities, schools. */
export const education: SubgraphDefinition = {
  name: 'education',
  entities,
  resolvers: [...resolvers],
  references,
  migrations,
  seededWhenAny: School,
  seed: seedEducation,
};

export default education;
