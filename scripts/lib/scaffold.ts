// What `npm run subgraph:new -- <name>` writes: a working subgraph with the file set every agency
// has, and the entries outside its folder that make it part of the graph (list, compose, role,
// client, root dependency, typed-client test). Kept apart from the CLI so a test can check it.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Names {
  /** kebab-case: folder, package, subgraph, agency and scope prefix. */
  name: string;
  /** PascalCase, for classes. */
  pascal: string;
  /** camelCase, for fields. */
  camel: string;
  /** snake_case, for tables. */
  snake: string;
  /** Upper-case initials, for record numbers (BG-00001). */
  prefix: string;
  /** The agency's name, Vietnamese and English. */
  vi: string;
  en: string;
  port: number;
}

export const NAME = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

export function namesOf(name: string, opts: { vi?: string; en?: string; port: number }): Names {
  if (!NAME.test(name) || name === 'kit') throw new Error(`subgraph name must be kebab-case letters and digits (e.g. border-guard), not "kit": got "${name}"`);
  const words = name.split('-');
  const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
  return {
    name,
    pascal: words.map(cap).join(''),
    camel: words[0] + words.slice(1).map(cap).join(''),
    snake: words.join('_'),
    prefix: (words.length > 1 ? words.map((w) => w[0]).join('') : name.slice(0, 2)).toUpperCase(),
    vi: opts.vi ?? name,
    en: opts.en ?? name,
    port: opts.port,
  };
}

/**
 * The file set of every agency's subgraph, by path inside subgraphs/<name>/ (NAME stands for the name,
 * a trailing / for a folder). The scaffold writes it; test/schema.test.ts fails when an agency lacks a
 * part. `program`, the steering committee's, is not an agency: it writes nothing and has no client.
 */
export const AGENCY_FILES: readonly string[] = [
  'src/index.ts',
  'src/main.ts',
  'src/entities.ts',
  'src/inputs.ts',
  'src/writes.ts',
  'src/mutations.ts',
  'src/resolvers/index.ts',
  'src/figures.ts',
  'src/importers.ts',
  'src/seed.ts',
  'src/migrations/',
  'src/NAME.test.ts',
  'src/writes.test.ts',
  'operations/',
];

/** The parts of AGENCY_FILES missing from the subgraph folder `folder` of agency `name` (a file where a folder belongs counts as missing). */
export function missingAgencyFiles(folder: string, name: string): string[] {
  return AGENCY_FILES.map((f) => f.replace('NAME', name)).filter((f) => {
    const path = join(folder, f);
    return !existsSync(path) || statSync(path).isDirectory() !== f.endsWith('/');
  });
}

/** The files of the new subgraph folder (and its journeys test), by path from the repository root. */
export function subgraphFiles(n: Names): Map<string, string> {
  const { name, pascal: P, camel: c, snake, prefix } = n;
  const Record = `${P}Record`;
  const read = `${name}:read`;
  const write = `${name}:write`;
  const dir = `subgraphs/${name}`;
  const files = new Map<string, string>();

  files.set(
    `${dir}/package.json`,
    JSON.stringify(
      {
        name: `@pcmt/${name}`,
        private: true,
        version: '0.1.0',
        type: 'module',
        exports: { '.': './src/index.ts' },
        scripts: {
          start: 'node --import @swc-node/register/esm-register src/main.ts',
          'test:unit': `mkdir -p ../../test-results && node --experimental-vm-modules ../../node_modules/jest/bin/jest.js --config ../../jest.config.js --selectProjects ${name} --json --outputFile=../../test-results/${name}.json`,
        },
        dependencies: {
          '@mikro-orm/core': '7.2.1',
          '@mikro-orm/decorators': '7.2.1',
          '@mikro-orm/migrations': '7.2.1',
          '@pcmt/kit': '*',
          dataloader: '2.2.3',
          graphql: '16.15.0',
          'type-graphql': '2.0.0-rc.4',
        },
      },
      null,
      2,
    ) + '\n',
  );

  files.set(`${dir}/tsconfig.json`, '{ "extends": "../../tsconfig.base.json", "include": ["src"] }\n');

  files.set(
    `${dir}/src/main.ts`,
    `import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { ${c} } from './index.js';

await runStandalone(${c}, () => syntheticProvince());
`,
  );

  files.set(
    `${dir}/src/index.ts`,
    `import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, ${Record} } from './entities.js';
import { migrations } from './migrations/index.js';
import { importers } from './importers.js';
import { ${P}Mutations } from './mutations.js';
import { Commune, CommunePeriod, DrugCase, Person, ProvincePeriod, references, resolvers } from './resolvers/index.js';
import { seed${P} } from './seed.js';

/** ${n.vi} (${n.en}). */
export const ${c}: SubgraphDefinition = {
  name: '${name}',
  entities,
  resolvers: [...resolvers, ${P}Mutations],
  // Types entered only through \`_entities\` or extended here: without them type-graphql drops the extension silently
  // (schema:check catches it from the list in subgraphs/kit/src/subgraph-list.ts).
  orphanedTypes: [Person, Commune, DrugCase, CommunePeriod, ProvincePeriod],
  references,
  migrations,
  seededWhenAny: ${Record},
  seed: seed${P},
  importers,
};

export default ${c};
`,
  );

  files.set(
    `${dir}/src/entities.ts`,
    `import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { LocalDate, Scopes } from '@pcmt/kit';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Rows belong to the commune in \`communeCode\`: reads are limited to the caller's area (địa bàn).
@ObjectType({ description: 'One record of ${n.vi} (${n.en}): replace with the agency\\'s own entities.' })
@Scopes('${read}')
@Directive('@key(fields: "id")')
@Entity({ tableName: '${snake}_record' })
@Index({ name: '${snake}_record_commune_recorded', properties: ['communeCode', 'recordedOn'] })
export class ${Record} {
  @Field(() => ID, { description: 'Record number, e.g. ${prefix}-00042' })
  @PrimaryKey({ length: 32 })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày ghi nhận' })
  @Index()
  @Property({ type: 'date' })
  recordedOn!: string;

  /** Commune of the record, official code. */
  @Property({ length: 5 })
  communeCode!: string;

  /** The person it is about, if any; identity lives in the police register. */
  @Index()
  @Property({ length: 12, nullable: true })
  citizenId?: string | null;

  /** Police case it belongs to, if any. */
  @Index()
  @Property({ length: 32, nullable: true })
  drugCaseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Ghi chú' })
  @Property({ nullable: true })
  note?: string | null;
}

export const entities = [${Record}];
`,
  );

  files.set(
    `${dir}/src/figures.ts`,
    `import { defineFigures } from '@pcmt/kit';
import { ${Record} } from './entities.js';

/** The ${name} figures of a commune or the province in a reporting period (kỳ báo cáo). */
export const figures = defineFigures('${name}', {
  ${c}Records: {
    entity: ${Record},
    period: 'recordedOn',
    description: 'Số bản ghi: records of ${n.en} made in the period, by record day.',
  },
});
`,
  );

  files.set(
    `${dir}/src/resolvers/index.ts`,
    `import {
  checkCommuneCodeArgument,
  checkPage,
  communePeriodStub,
  communeStub,
  drugCaseStub,
  PageArgs,
  PageOf,
  PeriodArgs,
  periodReferences,
  periodWhere,
  personStub,
  provincePeriodStub,
  Scopes,
  Sensitive,
  stubRef,
  type SubgraphContext,
} from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ${Record} } from '../entities.js';
import { figures } from '../figures.js';

// Queries, field resolvers and federation stubs. When this file grows past a few hundred lines,
// split it by area of the domain as police and health do (one file per area, shared.ts for the stubs).

export const Person = personStub();
export type Person = InstanceType<typeof Person>;
export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;
export const DrugCase = drugCaseStub();
export type DrugCase = InstanceType<typeof DrugCase>;
export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;
export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
const communeOf = (code: string): Commune => stubRef(Commune, { code });
const drugCaseOf = (id: string): DrugCase => stubRef(DrugCase, { id });

const ${Record}Page = PageOf(${Record}, ${Record}.name, ['${read}']);
const newestFirst = { recordedOn: 'desc', id: 'asc' } as const;

@Resolver(() => ${Record})
export class ${Record}Resolver {
  @Scopes('${read}')
  @Sensitive()
  @Query(() => ${Record}, { nullable: true, description: 'One record by its number' })
  ${c}Record(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(${Record}, 'id').load(id);
  }

  @Scopes('${read}')
  @Sensitive()
  @Query(() => ${Record}Page, { description: 'Records, newest first, optionally of one commune; the period is by record day' })
  async ${c}Records(
    @Args() page: PageArgs,
    @Args() period: PeriodArgs,
    @Arg('communeCode', () => String, { nullable: true }) communeCode: string | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (communeCode) checkCommuneCodeArgument(communeCode);
    const where = { ...periodWhere('recordedOn', period), ...(communeCode ? { communeCode } : {}) };
    const [items, totalCount] = await ctx.em.findAndCount(${Record}, where, { orderBy: newestFirst, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => Commune)
  commune(@Root() r: ${Record}) {
    return communeOf(r.communeCode);
  }

  @Scopes('${read}')
  @Sensitive()
  @FieldResolver(() => Person, { nullable: true, description: 'The person the record is about' })
  person(@Root() r: ${Record}) {
    return r.citizenId ? personOf(r.citizenId) : null;
  }

  @FieldResolver(() => DrugCase, { nullable: true, description: 'Police case it belongs to' })
  drugCase(@Root() r: ${Record}) {
    return r.drugCaseId ? drugCaseOf(r.drugCaseId) : null;
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Scopes('${read}')
  @Sensitive()
  @FieldResolver(() => [${Record}], { nullable: true, description: 'Records of ${n.en} about this person, newest first' })
  ${c}Records(@Root() p: Person, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(${Record}, 'citizenId', { orderBy: newestFirst, page }).load(p.citizenId);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Scopes('${read}')
  @Sensitive()
  @FieldResolver(() => [${Record}], { nullable: true, description: 'Records of ${n.en} in this commune, newest first' })
  ${c}Records(@Root() cm: Commune, @Args() page: PageArgs, @Args() period: PeriodArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(${Record}, 'communeCode', { where: periodWhere('recordedOn', period), orderBy: newestFirst, page }).load(cm.code);
  }
}

export const resolvers = [${Record}Resolver, PersonResolver, CommuneResolver, ...figures.resolvers(CommunePeriod, ProvincePeriod)] as const;

export const references = {
  ${Record}: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.one(${Record}, 'id').load(ref.id),
  },
  Person: { __resolveReference: (ref: { citizenId: string }) => personOf(ref.citizenId) },
  Commune: { __resolveReference: (ref: { code: string }) => communeOf(ref.code) },
  DrugCase: { __resolveReference: (ref: { id: string }) => drugCaseOf(ref.id) },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
`,
  );

  files.set(
    `${dir}/src/inputs.ts`,
    `import { LocalDate, NamesPerson } from '@pcmt/kit';
import { Field, ID, InputType } from 'type-graphql';

// The GraphQL inputs of the writes (mutations.ts) and imports (importers.ts). Only shapes and
// descriptions here: every check on their values is in writes.ts.

@InputType({ description: 'A new record of ${n.vi}' })
export class Record${P}Input {
  @Field(() => ID, { description: 'Record number, e.g. ${prefix}-00042' })
  id!: string;

  @Field(() => LocalDate, { description: 'Ngày ghi nhận; not in the future' })
  recordedOn!: string;

  @Field({ description: 'Official code of the commune' })
  communeCode!: string;

  @NamesPerson()
  @Field(() => String, { nullable: true, description: 'Số CCCD of the person it is about, 12 digits' })
  citizenId?: string | null;

  @Field(() => String, { nullable: true, description: 'Police case number (số vụ án), VA-YYYY-NNNNN' })
  drugCaseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Ghi chú' })
  note?: string | null;

  @Field(() => String, { nullable: true, description: 'Client-chosen key (8–160 characters): a retry with the same key is applied once' })
  idempotencyKey?: string | null;
}
`,
  );

  files.set(
    `${dir}/src/writes.ts`,
    `import type { EntityManager } from '@mikro-orm/core';
import { ALL_AREAS, checkCommune, idempotentWrite, InputErrors } from '@pcmt/kit';
import { ${Record} } from './entities.js';
import type { Record${P}Input } from './inputs.js';

/** Mutations and imports call these, so every write is checked the same way. */

export const RECORD_ID = /^[A-Z]{2,4}-\\d{4,8}$/;
export const DRUG_CASE_ID = /^VA-\\d{4}-\\d{5}$/;

const blank = (v: unknown) => v == null || v === '';

export async function record${P}(em: EntityManager, input: Record${P}Input): Promise<{ result: ${Record}; replayed: boolean }> {
  return idempotentWrite(em, ${Record}, { key: input.idempotencyKey, operation: 'record${P}', input }, async (tx) => {
    const errs = new InputErrors();
    if (errs.check(typeof input.id === 'string' && RECORD_ID.test(input.id), 'id', 'must be a record number like ${prefix}-00042')) {
      errs.check((await tx.count(${Record}, { id: input.id }, ALL_AREAS)) === 0, 'id', \`record \${input.id} already exists\`);
    }
    errs.date('recordedOn', input.recordedOn, { notFuture: true });
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    if (!blank(input.citizenId)) errs.citizenId('citizenId', input.citizenId);
    if (!blank(input.drugCaseId)) errs.check(typeof input.drugCaseId === 'string' && DRUG_CASE_ID.test(input.drugCaseId), 'drugCaseId', 'must be a case number VA-YYYY-NNNNN');
    errs.text('note', input.note, { max: 255 });
    errs.throwIfAny();
    return tx.create(${Record}, {
      id: input.id,
      recordedOn: input.recordedOn,
      communeCode: input.communeCode,
      citizenId: blank(input.citizenId) ? null : input.citizenId,
      drugCaseId: blank(input.drugCaseId) ? null : input.drugCaseId,
      note: blank(input.note) ? null : input.note,
    });
  });
}
`,
  );

  files.set(
    `${dir}/src/importers.ts`,
    `import { cellCitizenId, cellDay, cellText, type Importer } from '@pcmt/kit';
import type { Record${P}Input } from './inputs.js';
import { record${P}, RECORD_ID } from './writes.js';

/** A spreadsheet of records: one row per record, checked like the mutation (\`npm run import\`). */
export const recordsImporter: Importer<Record${P}Input> = {
  name: 'records',
  description: 'Records of ${n.vi}: one row per record',
  columns: {
    id: ['Số', 'Mã', 'record id'],
    recordedOn: ['Ngày ghi nhận', 'Ngày', 'recorded on'],
    communeCode: ['Mã xã', 'commune code'],
    citizenId: ['Số CCCD', 'CCCD', 'citizen id'],
    drugCaseId: ['Số vụ án', 'drug case id'],
    note: ['Ghi chú', 'note'],
  },
  parse(row, errs) {
    const input: Record${P}Input = {
      id: cellText(row.id)?.toUpperCase() ?? '',
      recordedOn: cellDay(errs, 'recordedOn', row.recordedOn) ?? '',
      communeCode: cellText(row.communeCode) ?? '',
      citizenId: cellText(row.citizenId) ? cellCitizenId(row.citizenId) : null,
      drugCaseId: cellText(row.drugCaseId)?.toUpperCase() ?? null,
      note: cellText(row.note),
    };
    // Format checks here too, so a bad row lists every problem before anything touches the database.
    errs.check(RECORD_ID.test(input.id), 'id', 'must be a record number like ${prefix}-00042');
    errs.communeCodeFormat('communeCode', input.communeCode);
    return input;
  },
  key: (input) => \`id:\${input.id}\`,
  async write(em, input, idempotencyKey) {
    const { replayed } = await record${P}(em, { ...input, idempotencyKey });
    return { replayed };
  },
};

export const importers = [recordsImporter];
`,
  );

  files.set(
    `${dir}/src/mutations.ts`,
    `import { Scopes, Sensitive, type SubgraphContext } from '@pcmt/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ${Record} } from './entities.js';
import { Record${P}Input } from './inputs.js';
import { record${P} } from './writes.js';

/** What ${n.en} records day to day. \`sensitive\`: the input names a person, so the gateway asks for a purpose and audits it. */
@Resolver()
export class ${P}Mutations {
  @Sensitive()
  @Scopes('${write}')
  @Mutation(() => ${Record}, { description: 'Ghi nhận: records one ${name} record' })
  async record${P}(@Arg('input', () => Record${P}Input) input: Record${P}Input, @Ctx() ctx: SubgraphContext) {
    return (await record${P}(ctx.em, input)).result;
  }
}
`,
  );

  files.set(
    `${dir}/src/migrations/index.ts`,
    `import type { MigrationSets } from '@pcmt/kit';

// Generated by \`npm run migration:create\`; each dialect has its own SQL.
export const migrations: MigrationSets = {
  sqlite: [],
  postgresql: [],
};
`,
  );

  files.set(
    `${dir}/src/seed.ts`,
    `import { insertInChunks, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import { ${Record} } from './entities.js';

/** Writes the ${name} part of the synthetic province: one record for every fourth police case, about its first suspect. */
export async function seed${P}(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const rows = p.cases
    .filter((_, i) => i % 4 === 0)
    .map((c, i) => ({
      id: \`${prefix}-\${String(i + 1).padStart(5, '0')}\`,
      recordedOn: c.reportedOn,
      communeCode: c.communeCode,
      citizenId: c.suspects[0]?.citizenId ?? null,
      drugCaseId: c.id,
      note: null,
    }));
  await insertInChunks(em, ${Record}, rows, 500, (d) => progress('${name} records', d, rows.length));
  return { ${snake}_record: rows.length };
}
`,
  );

  files.set(
    `${dir}/src/${name}.test.ts`,
    `import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { ${c} } from './index.js';

const province = syntheticProvince({ seed: 7, scale: 0.1 });
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(${c}, province);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('${name} subgraph', () => {
  test('seeds one record for every fourth police case', async () => {
    const res = await postGraphql(subgraph.url, '{ ${c}Records(first: 500) { totalCount items { id commune { code } person { citizenId } drugCase { id } } } }');
    expect(res.errors).toBeUndefined();
    const expected = province.cases.filter((_, i) => i % 4 === 0);
    expect(res.data.${c}Records.totalCount).toBe(expected.length);
    const byCase = new Map(res.data.${c}Records.items.map((r: any) => [r.drugCase.id, r]));
    for (const c of expected) expect(byCase.get(c.id)).toMatchObject({ commune: { code: c.communeCode } });
  });

  test('a commune\\'s figure for a year counts its records of that year', async () => {
    const c = province.cases[0];
    const year = c.reportedOn.slice(0, 4);
    const res = await postGraphql(subgraph.url, \`{ _entities(representations: [{ __typename: "CommunePeriod", communeCode: "\${c.communeCode}", period: "\${year}" }]) { ... on CommunePeriod { ${c}Records } } }\`);
    expect(res.errors).toBeUndefined();
    const expected = province.cases.filter((x, i) => i % 4 === 0 && x.communeCode === c.communeCode && x.reportedOn.startsWith(year)).length;
    expect(res.data._entities[0].${c}Records).toBe(expected);
  });
});
`,
  );

  files.set(
    `${dir}/src/writes.test.ts`,
    `import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { syntheticProvince } from '@pcmt/kit';
import { postGraphql, startTestSubgraph, type TestSubgraph } from '@pcmt/kit/testing';
import { ${c} } from './index.js';

const province = syntheticProvince({ seed: 7, scale: 0.1 });
let subgraph: TestSubgraph;
const RECORD = \`mutation ($input: Record${P}Input!) { record${P}(input: $input) { id recordedOn note commune { code } } }\`;

beforeAll(async () => {
  subgraph = await startTestSubgraph(${c}, province);
});

afterAll(async () => {
  await subgraph?.close();
});

describe('${name} writes', () => {
  const input = () => ({ id: '${prefix}-90001', recordedOn: '2025-06-01', communeCode: province.communes[0].code, note: 'Ghi nhận thử', idempotencyKey: 'scaffold-test-90001' });

  test('records once; a retry with the same key gives the same record', async () => {
    const first = await postGraphql(subgraph.url, RECORD, { input: input() });
    expect(first.errors).toBeUndefined();
    expect(first.data.record${P}).toMatchObject({ id: '${prefix}-90001', recordedOn: '2025-06-01', commune: { code: province.communes[0].code } });
    const again = await postGraphql(subgraph.url, RECORD, { input: input() });
    expect(again.data.record${P}.id).toBe('${prefix}-90001');
  });

  test('lists every problem of the input at once', async () => {
    const res = await postGraphql(subgraph.url, RECORD, { input: { id: 'x', recordedOn: '2999-01-01', communeCode: '99999', citizenId: '12' } });
    const ext: any = res.errors?.[0]?.extensions ?? {};
    expect(ext.code).toBe('BAD_USER_INPUT');
    const fields = ext.fieldErrors.map((e: any) => e.field).sort();
    expect(fields).toEqual(['citizenId', 'communeCode', 'id', 'recordedOn']);
  });
});
`,
  );

  files.set(
    `${dir}/operations/${name}.graphql`,
    `# The records of ${n.vi}, newest first (registered for client ${name}-app).

query ${P}Records($year: Int, $communeCode: String, $first: Int!, $offset: Int!) {
  ${c}Records(year: $year, communeCode: $communeCode, first: $first, offset: $offset) {
    totalCount
    items {
      id
      recordedOn
      note
      commune {
        code
        name
      }
      person {
        citizenId
        fullName
      }
    }
  }
}
`,
  );

  files.set(
    `test/journeys/${name}.test.ts`,
    `import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestFederation, type TestFederation } from '../harness.js';

// A ${name} officer through the registered operations of client ${name}-app only.

let fed: TestFederation;
const ROLE = '${name}-officer';
const PURPOSE = { purpose: 'Kiểm tra hồ sơ nghiệp vụ' };

beforeAll(async () => {
  fed = await startTestFederation({ seed: 11, scale: 0.1 });
});

afterAll(async () => {
  await fed?.close();
});

describe('${name} officer', () => {
  test('the register needs a purpose, then lists what the database holds with names from the police register', async () => {
    expect((await fed.run(ROLE, '${P}Records', { first: 5, offset: 0 })).errors?.[0].extensions.code).toBe('PURPOSE_REQUIRED');
    const res = await fed.run(ROLE, '${P}Records', { first: 500, offset: 0 }, PURPOSE);
    expect(res.errors).toBeUndefined();
    const [{ n }] = await fed.sql<{ n: number | string }>('${name}', 'select count(*) as n from ${snake}_record');
    expect(res.data.${c}Records.totalCount).toBe(Number(n));
    const named = res.data.${c}Records.items.find((r: any) => r.person);
    expect(named.person.fullName).toBeTruthy();
  });

  test("another agency's officer cannot run it", async () => {
    const res = await fed.run('education-officer', '${P}Records', { first: 5, offset: 0 }, PURPOSE).catch((e: Error) => ({ errors: [{ message: e.message }] }));
    expect(res.errors?.length).toBeGreaterThan(0);
  });
});
`,
  );
  return files;
}

/** A text edit outside the folder: insert `text` before the first `anchor` (after, when `after`). */
export interface Edit {
  file: string;
  anchor: string;
  text: string;
  after?: boolean;
  /** Skip when the file already holds this. */
  present: string;
}

export function repositoryEdits(n: Names): Edit[] {
  const { name, camel } = n;
  const env = name.toUpperCase().replace(/-/g, '_');
  return [
    {
      file: 'subgraphs/kit/src/subgraph-list.ts',
      anchor: '  // subgraph:new adds entries above this line.',
      text: `  { name: '${name}', port: ${n.port}, agency: { vi: '${n.vi}', en: '${n.en}' }, extends: ['Person', 'Commune', 'DrugCase', 'CommunePeriod', 'ProvincePeriod'] },\n`,
      present: `name: '${name}'`,
    },
    {
      file: 'gateway/src/roles.ts',
      anchor: '  // Ban Chỉ đạo: aggregates everywhere.',
      text: `  // ${n.vi}: its own records.\n  '${name}-officer': ['reference:read', 'person:identity', '${name}:read', '${name}:write'],\n`,
      present: `'${name}-officer': [`,
    },
    { file: 'gateway/src/roles.ts', anchor: "  'steering-committee': 'program',", text: `  '${name}-officer': '${name}',\n`, present: `'${name}-officer': '${name}',` },
    { file: 'gateway/src/roles.ts', anchor: "  'steering-committee': 'dashboard',", text: `  '${name}-officer': '${name}-app',\n`, present: `'${name}-officer': '${name}-app',` },
    {
      file: 'gateway/src/registry/shipped.ts',
      anchor: "  { client: 'dashboard', agency: 'program', dir: 'schema/operations' },\n",
      after: true,
      text: `  { client: '${name}-app', agency: '${name}', dir: 'subgraphs/${name}/operations' },\n`,
      present: `client: '${name}-app'`,
    },
    {
      file: 'docker-compose.yml',
      anchor: '\n  gateway:\n',
      text:
        `  ${name}:\n    <<: *subgraph\n    command: ["node", "--import", "@swc-node/register/esm-register", "subgraphs/${name}/src/main.ts"]\n` +
        `    environment: { <<: *subgraph-env, PORT: "${n.port}" }\n    healthcheck:\n      <<: *ready\n` +
        `      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:${n.port}/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]\n`,
      present: `subgraphs/${name}/src/main.ts`,
    },
    { file: 'docker-compose.yml', anchor: '      SHUTDOWN_GRACE_MS: "10000"\n      LOG_LEVEL: info\n    # Only used', text: `      SUBGRAPH_URL_${env}: http://${name}:${n.port}/graphql\n`, present: `SUBGRAPH_URL_${env}:` },
    // The gateway's depends_on list ends the services: the entry goes at its end.
    { file: 'docker-compose.yml', anchor: '\nvolumes:\n', text: `      ${name}: { condition: service_healthy }\n`, present: `      ${name}: { condition: service_healthy }` },
    // The image installs from the workspaces' manifests before copying the code.
    { file: 'Dockerfile', anchor: 'RUN npm ci', text: `COPY subgraphs/${name}/package.json subgraphs/${name}/\n`, present: `COPY subgraphs/${name}/package.json` },
    {
      file: 'test/clients.test.ts',
      anchor: "import { startTestFederation, type TestFederation } from './harness.js';",
      text: `import * as ${camel}App from '../clients/${name}-app/graphql.js';\n`,
      present: `../clients/${name}-app/graphql.js`,
    },
    { file: 'test/clients.test.ts', anchor: 'const GENERATED: Record<string, Record<string, unknown>> = {\n', after: true, text: `  '${name}-app': ${camel}App,\n`, present: `'${name}-app': ${camel}App,` },
    { file: 'test/clients.test.ts', anchor: 'const ROLE_OF: Record<string, string> = {\n', after: true, text: `  '${name}-app': '${name}-officer',\n`, present: `'${name}-app': '${name}-officer',` },
  ];
}

/** Applies the edits in order; returns the files changed and the edits whose anchor is gone (to do by hand). */
export function applyEdits(root: string, edits: Edit[]): { changed: string[]; missed: Edit[] } {
  const changed = new Set<string>();
  const missed: Edit[] = [];
  for (const e of edits) {
    const path = join(root, e.file);
    const text = readFileSync(path, 'utf8');
    if (text.includes(e.present)) continue;
    const at = text.indexOf(e.anchor);
    if (at < 0) {
      missed.push(e);
      continue;
    }
    // An anchor starting with a newline is a blank line: the text goes before it, after the line above.
    const pos = e.after ? at + e.anchor.length : at;
    writeFileSync(path, text.slice(0, pos) + e.text + text.slice(pos));
    changed.add(e.file);
  }
  return { changed: [...changed], missed };
}

/** Adds `@pcmt/<name>` to the root package's dependencies (the scripts import every subgraph by package). */
export function addRootDependency(root: string, name: string): boolean {
  const path = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(path, 'utf8'));
  if (pkg.dependencies[`@pcmt/${name}`]) return false;
  pkg.dependencies[`@pcmt/${name}`] = '*';
  pkg.dependencies = Object.fromEntries(Object.entries(pkg.dependencies).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n');
  return true;
}

/** Writes the folder's files; refuses to overwrite any. */
export function writeFiles(root: string, files: Map<string, string>): void {
  for (const path of files.keys()) if (existsSync(join(root, path))) throw new Error(`${path} exists already: subgraph:new writes only new files`);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
