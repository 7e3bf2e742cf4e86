import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, School } from './entities.js';
import { migrations } from './migrations/index.js';
import { importers } from './importers.js';
import { EducationMutations } from './mutations.js';
import { CommunePeriod, ProvincePeriod, references, resolvers } from './resolvers/index.js';
import { seedEducation } from './seed.js';

/** Sở GD&ĐT, Sở VH-TT, Tỉnh đoàn, Liên đoàn Lao động and press: awareness campaigns, their activities, schools, enterprises, press outlets. */
export const education: SubgraphDefinition = {
  name: 'education',
  entities,
  resolvers: [...resolvers, EducationMutations],
  // Reached only through _entities: nothing in Query returns them.
  orphanedTypes: [CommunePeriod, ProvincePeriod],
  references,
  migrations,
  seededWhenAny: School,
  seed: seedEducation,
  importers,
};

export default education;
