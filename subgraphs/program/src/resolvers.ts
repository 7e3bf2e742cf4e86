import type { FilterQuery } from '@mikro-orm/core';
import { checkArgument, checkCommuneCodeArgument, checkPage, PageArgs, PageOf, type SubgraphContext } from '@pcmt/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Commune, CommuneKind, Province, Substance, SubstanceGroup } from './entities.js';

const CommunePage = PageOf(Commune);

export const PROVINCE_CODE = /^\d{2}$/;
const SUBSTANCE_CODE = /^[A-Z0-9_]{1,32}$/;

@Resolver(() => Province)
export class ProvinceResolver {
  @Query(() => Province, { nullable: true, description: 'One province by its official 2-digit code' })
  province(@Arg('code', () => ID) code: string, @Ctx() ctx: SubgraphContext) {
    checkArgument(code, PROVINCE_CODE, 'code', '2 digits');
    return ctx.loaders.one(Province, 'code').load(code);
  }

  @Query(() => [Province], { description: "Provinces this deployment serves that are in the caller's area (every one for a national office), by code" })
  async provinces(@Ctx() ctx: SubgraphContext) {
    const all = await ctx.em.find(Province, {}, { orderBy: { code: 'asc' } });
    await ctx.area.ready;
    return all.filter((p) => ctx.area.coversProvince(p.code));
  }

  @FieldResolver(() => [Commune], { description: 'Xã/phường/đặc khu of the province, by code' })
  async communes(@Root() p: Province, @Args() page: PageArgs, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.many(Commune, 'province', { where: await ctx.area.where('code'), orderBy: { code: 'asc' }, page }).load(p.code);
  }

  @FieldResolver(() => Int, { description: 'Number of communes (số đơn vị hành chính cấp xã)' })
  communeCount(@Root() p: Province, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.count(Commune, 'province').load(p.code);
  }
}

@Resolver(() => Commune)
export class CommuneResolver {
  @Query(() => Commune, { nullable: true, description: 'One commune by its official 5-digit code' })
  commune(@Arg('code', () => ID) code: string, @Ctx() ctx: SubgraphContext) {
    checkCommuneCodeArgument(code, 'code');
    return ctx.loaders.one(Commune, 'code').load(code);
  }

  @Query(() => CommunePage, { description: 'Communes, optionally of one province, kind or border status, by code' })
  async communes(
    @Args() page: PageArgs,
    @Arg('provinceCode', () => ID, { nullable: true }) provinceCode: string | undefined,
    @Arg('kind', () => CommuneKind, { nullable: true }) kind: CommuneKind | undefined,
    @Arg('border', () => Boolean, { nullable: true, description: 'Only border communes (true) or only inland ones (false)' }) border: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ) {
    const { limit, offset } = checkPage(page);
    if (provinceCode != null) checkArgument(provinceCode, PROVINCE_CODE, 'provinceCode', '2 digits');
    const where: FilterQuery<Commune> = {
      ...(provinceCode != null ? { province: { code: provinceCode } } : {}),
      ...(kind != null ? { kind } : {}),
      ...(border != null ? { border } : {}),
      // Names are public, but a list of communes is the caller's own area.
      ...(await ctx.area.where('code')),
    };
    const [items, totalCount] = await ctx.em.findAndCount(Commune, where, { orderBy: { code: 'asc' }, limit, offset });
    return { items, totalCount };
  }

  @FieldResolver(() => ID, { description: 'Mã tỉnh of the province the commune belongs to' })
  provinceCode(@Root() c: Commune) {
    return c.province.code;
  }

  @FieldResolver(() => Province)
  province(@Root() c: Commune, @Ctx() ctx: SubgraphContext) {
    return ctx.loaders.one(Province, 'code').load(c.province.code);
  }
}

@Resolver(() => Substance)
export class SubstanceResolver {
  @Query(() => Substance, { nullable: true, description: 'One substance of the catalogue by code' })
  substance(@Arg('code', () => ID) code: string, @Ctx() ctx: SubgraphContext) {
    checkArgument(code, SUBSTANCE_CODE, 'code', 'an upper-case catalogue code, e.g. METHAMPHETAMINE');
    return ctx.loaders.one(Substance, 'code').load(code);
  }

  @Query(() => [Substance], { description: 'The substance catalogue (danh mục chất ma túy và tiền chất), optionally of one group, by code' })
  substances(@Arg('group', () => SubstanceGroup, { nullable: true }) group: SubstanceGroup | undefined, @Ctx() ctx: SubgraphContext) {
    return ctx.em.find(Substance, group != null ? { group } : {}, { orderBy: { code: 'asc' } });
  }
}

export const resolvers = [ProvinceResolver, CommuneResolver, SubstanceResolver] as const;

// Program owns these rows: references resolve through the same batched loaders as the queries.
export const references = {
  Province: {
    __resolveReference: (ref: { code: string }, ctx: SubgraphContext) => ctx.loaders.one(Province, 'code').load(ref.code),
  },
  Commune: {
    __resolveReference: (ref: { code: string }, ctx: SubgraphContext) => ctx.loaders.one(Commune, 'code').load(ref.code),
  },
  Substance: {
    __resolveReference: (ref: { code: string }, ctx: SubgraphContext) => ctx.loaders.one(Substance, 'code').load(ref.code),
  },
};
