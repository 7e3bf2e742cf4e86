import 'reflect-metadata';
import { ReferenceKind, type EntityMetadata, type EntityProperty, type MetadataStorage, type Platform } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import DataLoader from 'dataloader';
import { GraphQLError, type GraphQLScalarType } from 'graphql';
import { Ctx, Directive, FieldResolver, Int, Resolver, Root, type ClassType } from 'type-graphql';
import { FLAG_TAGS, scopeTag, type Scope } from './access-tags.js';
import { areaPathOf, type EntityShape } from './area-rules.js';
import { outsideArea } from './area.js';
import type { SubgraphContext } from './context.js';
import type { Em } from './database.js';
import { parsePeriod, periodBounds, previousPeriod, samePeriodLastYear, type ReportingPeriod } from './period.js';
import { KnownCommune } from './reference.js';
import { turns } from './turns.js';
import { longReads } from './sqlite-reader.js';
import { registerFigureSet } from './touched.js';
import { periodsOfYear, relatedFiguresGroups, seesSmallCells, suppressCells, type FigureRelation, type PeriodLevel } from './small-cells.js';

/**
 * Per-period figures (the fields of `CommunePeriod` and `ProvincePeriod` that `program` reads to
 * compute the indicators), declared once per agency. From the declarations come the field
 * resolvers of both types and the SQL: one grouped statement per entity for every place, period
 * and figure asked for in a request.
 */

type EntityClass = new (...args: any[]) => object;

/** One bound of the period a figure is computed for; the statement reads it from its period table. */
export class PeriodBound {
  constructor(readonly column: 'fp_from' | 'fp_to' | 'fp_year') {}
}

/** The period's first day, last day and year, to write conditions with (`{ openedOn: { $lte: p.to } }`). */
export interface PeriodBounds {
  readonly from: PeriodBound;
  readonly to: PeriodBound;
  readonly year: PeriodBound;
}

const BOUNDS: PeriodBounds = { from: new PeriodBound('fp_from'), to: new PeriodBound('fp_to'), year: new PeriodBound('fp_year') };

/**
 * A MikroORM-style condition: `{ prop: value }`, `null`, `$eq $ne $in $gt $gte $lt $lte`, `$and`/`$or`,
 * a relation's properties nested (`{ enterprise: { industrialPark: { $ne: null } } }`), and
 * `$exists` (see `Exists`); values may be period bounds.
 */
export type Condition = Record<string, unknown>;

/**
 * `{ $exists: { entity, match, where } }`: a row of another entity of the subgraph that matches this
 * one on columns no relation links (`match: { 'assessment.citizenId': 'enrollment.citizenId' }`:
 * its path → ours) and meets `where` (period bounds allowed). For "the same person also has …".
 */
export interface Exists {
  entity: EntityClass;
  match: Record<string, string>;
  where?: Condition | ((p: PeriodBounds) => Condition);
}

export type Aggregate = 'count' | { countDistinct: string } | { sum: string } | { max: string } | { min: string };

/** Which period types carry a field. */
export type Places = 'both' | 'commune' | 'province';

/**
 * The order a field's `@tag`s are printed in. The gateway reads them as a set; the order is kept
 * per field only so that the SDL published before the figures moved to the kit stays the same.
 */
export type TagOrder = 'declared' | 'reversed';

export interface Figure {
  /** The Vietnamese term first, then what is counted. */
  description: string;
  /** On ProvincePeriod, when it says more than on CommunePeriod. */
  provinceDescription?: string;
  entity: EntityClass;
  /** Rows (`count`, the default), distinct values of a property, the sum of one, or the largest or smallest value (null without rows). */
  aggregate?: Aggregate;
  /** Which rows: a condition, or a function of the period's bounds that returns one. */
  where?: Condition | ((p: PeriodBounds) => Condition);
  /** A date property: rows whose date falls in the period. Leave out for a register figure (schools). */
  period?: string;
  /** Path to the commune code the rows are counted in; by default the entity's area path, else `communeCode`. */
  commune?: string;
  /** Path to a province code, for rows that belong to a province rather than a commune (ProvincePeriod only). */
  province?: string;
  /** Both period types by default; a province-path figure is on ProvincePeriod only. */
  on?: Places;
  /** Counts persons: tagged `small-cell`; callers who may not see identities get no 1–4 and no cell that would give one away (small-cells.ts). */
  smallCell?: boolean;
  /**
   * Counted on the period's last day (files open, patients in treatment at the end): a year equals
   * its fourth quarter and December, not their sum. Small cells are then withheld alike in equal
   * periods instead of by year − quarters (small-cells.ts, `TimeRelation`).
   */
  atPeriodEnd?: boolean;
  /** GraphQL type of the value: Int unless given (Float for kilograms and m², an enum for `max`). */
  type?: GraphQLScalarType | object;
}

/** `<name>Previous`: the same figure for `previousPeriod(period)`. */
export interface PreviousFigure {
  previousOf: string;
  /** The same period one year earlier (2025-Q2 → 2024-Q2) instead of the period just before. */
  lastYear?: boolean;
  /** Added to the figure's description. */
  suffix?: string;
  on?: Places;
  tagOrder?: TagOrder;
}

/** A ProvincePeriod list: codes of the province's communes where the figure is above 0. */
export interface CommunesWith {
  communesWith: string;
  description: string;
  tagOrder?: TagOrder;
}

export type FigureField = Figure | PreviousFigure | CommunesWith;

const PREVIOUS_SUFFIX = ' — in the previous period of the same length';
const LAST_YEAR_SUFFIX = ' — in the same period of the previous year';

/** The `<name>LastYear` fields of some figures (the same period a year earlier), for year-on-year change. */
export function lastYear(names: string[], options: Omit<PreviousFigure, 'previousOf' | 'lastYear'> = {}): Record<string, PreviousFigure> {
  return Object.fromEntries(names.map((name) => [`${name}LastYear`, { previousOf: name, lastYear: true, ...options }]));
}

/** The `<name>Previous` fields of some figures, to spread into a declaration where they are published. */
export function previous(names: string[], options: Omit<PreviousFigure, 'previousOf'> = {}): Record<string, PreviousFigure> {
  return Object.fromEntries(names.map((name) => [`${name}Previous`, { previousOf: name, ...options }]));
}

export interface FigureSetOptions {
  /** Scopes a caller needs (one of): `aggregate:read` and `<agency>:read` unless given. */
  scopes?: Scope[];
  /** Default for every field. */
  tagOrder?: TagOrder;
  /**
   * Small-cell figures that add up exactly to another of the same place and period (their `where`s
   * split its rows into disjoint parts, and every part is published): withheld together, so no cell
   * is the total minus the other figures (small-cells.ts, `relatedFiguresGroups`). Only equalities:
   * "requests ≥ persons" gives bounds, not values. Figures of one entity (one statement).
   */
  relations?: readonly FigureRelation[];
}

type PlaceKind = 'commune' | 'province' | 'communes';

interface FigureKey {
  kind: PlaceKind;
  /** A commune code, or a province code for `province` and `communes`. */
  place: string;
  period: ReportingPeriod;
  figure: string;
}

/** One GraphQL field of a period type, as the kit publishes it. */
export interface FigureFieldPlan {
  name: string;
  description: string;
  tags: string[];
  type: () => unknown;
  resolve: (root: Record<string, string>, ctx: SubgraphContext) => Promise<unknown>;
}

const isFigure = (f: FigureField): f is Figure => 'entity' in f;
const placesOf = (f: Figure): Places => f.on ?? (f.province ? 'province' : 'both');
const onType = (on: Places, type: 'commune' | 'province') => on === 'both' || on === type;

export class FigureSet {
  /** The `scope:` tags of every field. */
  readonly scopes: string[];
  readonly relations: readonly FigureRelation[];
  /** Each small-cell figure → the figures whose cells are settled with it (itself, and those linked by relations). */
  private readonly related = new Map<string, string[]>();
  private readonly figures = new Map<string, Figure>();
  private readonly compiled = new WeakMap<MetadataStorage, CompiledSet>();

  constructor(
    readonly agency: string,
    readonly fields: Readonly<Record<string, FigureField>>,
    private readonly options: FigureSetOptions = {},
  ) {
    this.scopes = (options.scopes ?? ['aggregate:read', `${agency}:read` as Scope]).map(scopeTag);
    // What a write touched is read from the declarations (touched.ts, for the gateway's response cache).
    registerFigureSet(this);
    for (const [name, f] of Object.entries(fields)) if (isFigure(f)) this.figures.set(name, f);
    // Mistakes in a declaration stop the subgraph from starting, not the first request.
    for (const [name, f] of Object.entries(fields)) {
      if (isFigure(f)) {
        if (f.province && f.on && f.on !== 'province') throw new Error(`${agency} figure ${name}: a province-path figure is on ProvincePeriod only`);
        if (typeof f.aggregate === 'object' && ('max' in f.aggregate || 'min' in f.aggregate) && !f.type) throw new Error(`${agency} figure ${name}: give the GraphQL type of the largest (smallest) value`);
        continue;
      }
      const base = this.figures.get('previousOf' in f ? f.previousOf : f.communesWith);
      if (!base) throw new Error(`${agency} field ${name}: no figure ${'previousOf' in f ? f.previousOf : f.communesWith} in this declaration`);
      if ('communesWith' in f && base.province) throw new Error(`${agency} field ${name}: ${f.communesWith} is not counted per commune`);
    }
    this.relations = options.relations ?? [];
    const component = new Map<string, Set<string>>();
    for (const r of this.relations) {
      const names = [r.total, ...r.parts];
      const fs = names.map((n) => {
        const f = this.figures.get(n);
        if (!f) throw new Error(`${agency} relation ${r.total}: no figure ${n} in this declaration`);
        return f;
      });
      const [t] = fs;
      if (r.parts.length === 0 || new Set(names).size !== names.length) throw new Error(`${agency} relation ${r.total}: give distinct parts`);
      for (const [i, f] of fs.entries()) {
        if (!f.smallCell || f.province || JSON.stringify(f.aggregate ?? 'count') !== JSON.stringify(t.aggregate ?? 'count')) throw new Error(`${agency} relation ${r.total}: ${names[i]} is not a small-cell count of the same kind`);
        if (f.entity !== t.entity || f.commune !== t.commune) throw new Error(`${agency} relation ${r.total}: ${names[i]} counts other rows (${f.entity.name}) than ${r.total} (one statement reads them together)`);
        if (!!f.atPeriodEnd !== !!t.atPeriodEnd) throw new Error(`${agency} relation ${r.total}: ${names[i]} is${f.atPeriodEnd ? '' : ' not'} counted at the period end and ${r.total} is${t.atPeriodEnd ? '' : ' not'}`);
      }
      const merged = new Set(names.flatMap((n) => [...(component.get(n) ?? [n])]));
      for (const n of merged) component.set(n, merged);
    }
    for (const [n, c] of component) this.related.set(n, [...c].sort());
  }

  /** The figures withheld together with `name` (itself included), sorted. */
  relatedTo(name: string): string[] {
    return this.related.get(name) ?? [name];
  }

  figure(name: string): Figure {
    const f = this.figures.get(name);
    if (!f) throw new Error(`${this.agency}: no figure ${name}`);
    return f;
  }

  /** The fields of one period type, in declaration order. */
  plan(type: 'commune' | 'province'): FigureFieldPlan[] {
    const code = (root: Record<string, string>) => (type === 'commune' ? root.communeCode : root.provinceCode);
    const tagged = (tags: string[], order = this.options.tagOrder) => (order === 'reversed' ? [...tags].reverse() : tags);
    const tagsOf = (f: Figure) => [...this.scopes, ...(f.smallCell ? [FLAG_TAGS.smallCell] : [])];
    const describe = (f: Figure) => (type === 'province' ? (f.provinceDescription ?? f.description) : f.description);
    const typeOf = (f: Figure) => () => f.type ?? Int;
    const out: FigureFieldPlan[] = [];
    for (const [name, f] of Object.entries(this.fields)) {
      if (isFigure(f)) {
        if (!onType(placesOf(f), type)) continue;
        out.push({
          name,
          description: describe(f),
          tags: tagged(tagsOf(f)),
          type: typeOf(f),
          resolve: (root, ctx) => this.load(ctx, { kind: type, place: code(root), period: parsePeriod(root.period), figure: name }),
        });
      } else if ('previousOf' in f) {
        const base = this.figure(f.previousOf);
        if (!onType(f.on ?? placesOf(base), type)) continue;
        out.push({
          name,
          description: `${describe(base)}${f.suffix ?? (f.lastYear ? LAST_YEAR_SUFFIX : PREVIOUS_SUFFIX)}`,
          tags: tagged(tagsOf(base), f.tagOrder),
          type: typeOf(base),
          resolve: (root, ctx) => this.load(ctx, { kind: type, place: code(root), period: parsePeriod((f.lastYear ? samePeriodLastYear : previousPeriod)(root.period)), figure: f.previousOf }),
        });
      } else if (type === 'province') {
        out.push({
          name,
          description: f.description,
          tags: tagged(this.scopes, f.tagOrder),
          type: () => [String],
          resolve: (root, ctx) => this.load(ctx, { kind: 'communes', place: root.provinceCode, period: parsePeriod(root.period), figure: f.communesWith }),
        });
      }
    }
    return out;
  }

  /** Field resolvers of `CommunePeriod` and `ProvincePeriod` (the subgraph's own period stubs). */
  resolvers(communePeriod: ClassType, provincePeriod: ClassType): Function[] {
    return [resolverClass(communePeriod, this.plan('commune')), resolverClass(provincePeriod, this.plan('province'))];
  }

  /**
   * A person count of one commune over dates the caller chose (a `Commune` field with `PeriodArgs`).
   * Callers who may see identities get `exact()`. Others could subtract two ranges a day apart (or a
   * range from a period) and get that day's count, so for them the range must be exactly one
   * reporting period, and the answer is this set's `figure` for it: the same cell, withheld the same
   * way (secondary suppression over the whole table), as `CommunePeriod.<figure>`.
   */
  rangeCount(ctx: SubgraphContext, communeCode: string, range: RangeArgs, figure: string, field: string, exact: () => Promise<unknown>): Promise<unknown> {
    if (seesSmallCells(ctx.caller?.scopes ?? [])) return exact();
    this.figure(figure);
    return this.load(ctx, { kind: 'commune', place: communeCode, period: reportingPeriodOf(range, field, figure), figure });
  }

  private load(ctx: SubgraphContext, key: FigureKey): Promise<unknown> {
    const loader = ctx.loaders.get(`figures:${this.agency}`, () => figureLoader(this, ctx));
    // A big request asks for its figures over many turns of the loop (turns.ts); the batch waits for them all.
    const wait = turns.point(ctx);
    return wait ? wait.then(() => loader.load(key)) : loader.load(key);
  }

  /** The SQL pieces of every figure, for one ORM (column names come from its metadata). */
  compile(em: Em): CompiledSet {
    const metadata = em.getMetadata();
    let set = this.compiled.get(metadata);
    if (!set) this.compiled.set(metadata, (set = new CompiledSet(this, metadata, em.getPlatform())));
    return set;
  }
}

/** A `PeriodArgs` value: a year, or first and last day (either may be missing). */
export interface RangeArgs {
  year?: number | null;
  from?: string | null;
  to?: string | null;
}

/** For the descriptions of `rangeCount` fields: followed by the figure they answer as. */
export const ONE_PERIOD_ONLY =
  'A caller who may not see identities (no person:identity) gives exactly one reporting period (year, or from/to spanning one calendar year, quarter or month; other ranges are BAD_USER_INPUT) and gets the same value, small cells withheld the same way, as';

const ONE_PERIOD =
  'counts one reporting period for a caller who may not see identities: give year, or from and to spanning exactly one calendar year, quarter or month (from: "2025-04-01", to: "2025-06-30")';

/** The reporting period a range is exactly (a year, quarter or month), else BAD_USER_INPUT naming what is allowed. */
export function reportingPeriodOf(range: RangeArgs, field: string, figure: string): ReportingPeriod {
  const { from, to } = periodBounds(range);
  const refuse = () =>
    new GraphQLError(`${field} ${ONE_PERIOD}; other ranges would give away small counts by subtraction. The same figure by period: CommunePeriod.${figure}`, {
      extensions: { code: 'BAD_USER_INPUT', field: range.year != null ? 'year' : 'from' },
    });
  if (!from || !to) throw refuse();
  const year = from.slice(0, 4);
  const candidates = [year, ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`), ...Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)];
  for (const id of candidates) {
    const p = parsePeriod(id);
    if (p.from === from && p.to === to) return p;
  }
  throw refuse();
}

/**
 * A count of persons "now" (no period): two reads around one change give that change away, so a
 * caller who may not see identities gets a FORBIDDEN error naming the period figure to read instead.
 */
export function nowCount(ctx: SubgraphContext, field: string, instead: string, exact: () => Promise<unknown>): Promise<unknown> {
  if (seesSmallCells(ctx.caller?.scopes ?? [])) return exact();
  throw new GraphQLError(
    `${field} counts persons as of now, and two reads around one change would give that person away; callers who may not see identities read ${instead} (by reporting period, small cells withheld)`,
    { extensions: { code: 'FORBIDDEN', reason: 'SMALL_CELLS' } },
  );
}

/** Declares an agency's period figures; see `Figure`. Field order is the order of `fields`. */
export function defineFigures(agency: string, fields: Record<string, FigureField>, options?: FigureSetOptions): FigureSet {
  return new FigureSet(agency, fields, options);
}

/** A type-graphql resolver class made from field plans, as if each field were written with decorators. */
function resolverClass(type: ClassType, fields: FigureFieldPlan[]): Function {
  class PeriodFigures {}
  Resolver(() => type)(PeriodFigures);
  const proto = PeriodFigures.prototype as Record<string, unknown>;
  for (const field of fields) {
    Object.defineProperty(proto, field.name, { value: field.resolve, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(proto, field.name)!;
    FieldResolver(field.type as never, { nullable: true, description: field.description })(proto, field.name, descriptor);
    // type-graphql prints a field's directives in the reverse order they were applied.
    for (const tag of [...field.tags].reverse()) Directive(`@tag(name: "${tag}")`)(proto, field.name, descriptor);
    Root()(proto, field.name, 0);
    Ctx()(proto, field.name, 1);
  }
  return PeriodFigures;
}

// ---------------------------------------------------------------- SQL

/** A piece of SQL with its `?` parameters, in text order. */
interface Sql {
  text: string;
  params: unknown[];
  /** Joined aliases whose row must exist for this condition to hold (a comparison with null is never true). */
  needs?: ReadonlySet<string>;
  /** For an "and": its conjuncts, nested ones flattened (`anyOf` takes out those every alternative shares). */
  and?: Sql[];
}

const sql = (text: string, params: unknown[] = [], needs?: ReadonlySet<string>): Sql => ({ text, params, ...(needs?.size ? { needs } : {}) });

function joinSql(all: Sql[], separator: string, empty: string): Sql {
  // "and" needs no "1 = 1" (an empty condition) among its parts.
  const parts = separator === ' and ' ? all.filter((p) => p.text !== '1 = 1') : all;
  if (parts.length === 0) return sql(empty);
  if (parts.length === 1) return parts[0];
  // Every part of an "and" must hold: it needs what any part needs; an "or" only what all of its parts need.
  const needs = separator === ' and ' ? new Set(parts.flatMap((p) => [...(p.needs ?? [])])) : commonNeeds(parts);
  const out = sql(parts.map((p) => `(${p.text})`).join(separator), parts.flatMap((p) => p.params), needs);
  return separator === ' and ' ? { ...out, and: parts.flatMap((p) => p.and ?? [p]) } : out;
}

/**
 * Rows any of `conditions` keeps, with the conjuncts they all share said once: `(open and ADDICT) or
 * (open and USER)` → `open and (ADDICT or USER)`. SQLite evaluates an "or" as written, so the `join fp`
 * of a statement with several figures tested the shared part once per figure (police's table: 98 → 74 ms).
 */
function anyOf(conditions: Sql[]): Sql {
  const shared = sharedConjuncts(conditions);
  if (shared.size === 0) return joinSql(conditions, ' or ', '1 = 0');
  const common = [...new Map((conditions[0].and ?? [conditions[0]]).filter((c) => shared.has(conjunctKey(c))).map((c) => [conjunctKey(c), c])).values()];
  const rests = conditions.map((c) => rest(c, shared));
  // An alternative that is only the shared part keeps every row the others keep.
  if (rests.some((r) => r.text === '1 = 1')) return joinSql(common, ' and ', '1 = 1');
  return joinSql([...common, joinSql(rests, ' or ', '1 = 0')], ' and ', '1 = 1');
}

const conjunctKey = (c: Sql) => `${c.text}\u0000${JSON.stringify(c.params)}`;

/** The conjuncts (by text and parameters) that each of two or more conditions has. */
function sharedConjuncts(conditions: Sql[]): Set<string> {
  if (conditions.length < 2) return new Set();
  const conjuncts = conditions.map((c) => c.and ?? [c]);
  return new Set(conjuncts[0].map(conjunctKey).filter((k) => conjuncts.every((list) => list.some((c) => conjunctKey(c) === k))));
}

/** What is left of `condition` without the `shared` conjuncts (`1 = 1` when nothing is). */
function rest(condition: Sql, shared: ReadonlySet<string>): Sql {
  return shared.size ? joinSql((condition.and ?? [condition]).filter((c) => !shared.has(conjunctKey(c))), ' and ', '1 = 1') : condition;
}

function commonNeeds(parts: Sql[]): Set<string> {
  const [first, ...rest] = parts;
  return new Set([...(first?.needs ?? [])].filter((alias) => rest.every((p) => p.needs?.has(alias))));
}

/** The rows of one entity, counted in the commune (or province) at one path: figures that share it share a statement. */
class Source {
  private readonly joins = new Map<string, { alias: string; from: string; text: string }>();
  /** Qualified commune-code column (null for a province-path figure), province-code column, area column. */
  readonly commune: string | null;
  readonly province: string | null;
  readonly area: string | null;
  /** The aliases of the rows those three columns are in. */
  private readonly placeAliases: { commune?: string; province?: string; area?: string } = {};

  constructor(
    readonly id: string,
    readonly meta: EntityMetadata,
    private readonly ident: (name: string) => string,
    paths: { commune: string | null; province: string | null; area: string | null },
    /** The row's alias: `e`, or another for the rows of an `$exists` inside e's condition. */
    readonly alias = 'e',
  ) {
    const ref = (which: 'commune' | 'province' | 'area'): string | null => {
      const path = paths[which];
      if (!path) return null;
      const r = this.columnRef(path);
      this.placeAliases[which] = r.alias;
      return r.text;
    };
    this.commune = ref('commune');
    this.province = ref('province');
    this.area = ref('area');
  }

  /** The alias of the row a place column (commune, province or area) is in. */
  placeAlias(which: 'commune' | 'province' | 'area'): string | undefined {
    return this.placeAliases[which];
  }

  get table(): string {
    return this.ident(this.meta.tableName);
  }

  /**
   * The joins, left joins but for the aliases in `inner`: rows without them never reach the
   * aggregates anyway, and an inner join lets the database start from the joined table (SQLite never
   * reorders a left join; g2's attendance rows were read one by one before their activity's date).
   */
  joinText(inner: ReadonlySet<string> = new Set()): string {
    return [...this.joins.values()].map((j) => `${inner.has(j.alias) ? 'join' : 'left join'} ${j.text}`).join(' ');
  }

  /** `aliases` with the aliases they are joined through (a row of j2 joined through j1 needs j1's). */
  withParents(aliases: Iterable<string>): Set<string> {
    const fromOf = new Map([...this.joins.values()].map((j) => [j.alias, j.from]));
    const out = new Set<string>();
    for (let alias of aliases) {
      while (alias !== this.alias && fromOf.has(alias) && !out.has(alias)) {
        out.add(alias);
        alias = fromOf.get(alias)!;
      }
    }
    return out;
  }

  /** The qualified column a property path ends at (a relation's foreign key when it ends at a relation); joins on the way. */
  column(path: string): string {
    return this.columnRef(path).text;
  }

  /** `column(path)` and the alias of the row it is in. */
  columnRef(path: string): { text: string; alias: string } {
    let meta = this.meta;
    let alias = this.alias;
    const steps = path.split('.');
    for (const [i, step] of steps.entries()) {
      const prop = meta.properties[step as never] as EntityProperty | undefined;
      if (!prop) throw new Error(`${this.meta.className}: "${path}" is not a property path (at "${step}")`);
      if (i === steps.length - 1) {
        if (!prop.fieldNames?.length) throw new Error(`${this.meta.className}: "${path}" is not a column`);
        return { text: this.ident(`${alias}.${prop.fieldNames[0]}`), alias };
      }
      if ((prop.kind !== ReferenceKind.MANY_TO_ONE && prop.kind !== ReferenceKind.ONE_TO_ONE) || !prop.targetMeta || !prop.fieldNames?.length) {
        throw new Error(`${this.meta.className}: "${path}" goes through ${step}, which is not a many-to-one relation`);
      }
      alias = this.join(steps.slice(0, i + 1).join('.'), alias, prop);
      meta = prop.targetMeta;
    }
    throw new Error(`${this.meta.className}: empty property path`);
  }

  private join(path: string, from: string, prop: EntityProperty): string {
    let j = this.joins.get(path);
    if (!j) {
      const target = prop.targetMeta!;
      const alias = `${this.alias === 'e' ? '' : this.alias}j${this.joins.size + 1}`;
      const pk = prop.referencedColumnNames?.[0] ?? target.properties[target.primaryKeys[0] as never]?.fieldNames[0];
      // Left: a row without the relation is still a row (its joined columns are null).
      j = { alias, from, text: `${this.ident(target.tableName)} as ${alias} on ${this.ident(`${alias}.${pk}`)} = ${this.ident(`${from}.${prop.fieldNames[0]}`)}` };
      this.joins.set(path, j);
    }
    return j.alias;
  }
}

interface CompiledFigure {
  name: string;
  source: Source;
  /** The aggregate alone (`count(distinct e.worker_key)`), for a statement whose rows are all this figure's. */
  aggregate: string;
  condition: Sql;
  empty: 0 | null;
  numeric: boolean;
  /** Declared with no period column and no `where` of the period's bounds (a register, a first or last record): one value for every period. */
  periodFree: boolean;
}

const isOperators = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PeriodBound) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** What an `$exists` needs to read another entity: the subgraph's metadata, quoting, and a count for fresh aliases. */
interface SubqueryContext {
  metadata: MetadataStorage;
  ident: (name: string) => string;
  subqueries: number;
}

/** MikroORM-style condition → SQL over a source's columns; period bounds become the period table's columns. */
function conditionSql(source: Source, condition: Condition, prefix = '', ctx?: SubqueryContext): Sql {
  const parts: Sql[] = [];
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$and' || key === '$or') {
      const list = (value as Condition[]).map((c) => conditionSql(source, c, prefix, ctx));
      parts.push(joinSql(list, key === '$and' ? ' and ' : ' or ', key === '$and' ? '1 = 1' : '1 = 0'));
    } else if (key === '$exists' && ctx) {
      parts.push(existsSql(source, value as Exists, ctx));
    } else if (key.startsWith('$')) {
      throw new Error(`${source.meta.className}: operator ${key} is not supported in figure conditions`);
    } else {
      const path = prefix ? `${prefix}.${key}` : key;
      const nested = value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof PeriodBound) && !isOperators(value);
      parts.push(nested ? conditionSql(source, value as Condition, path, ctx) : comparisonSql(source, source.columnRef(path), value));
    }
  }
  return joinSql(parts, ' and ', '1 = 1');
}

/** A correlated `exists (select 1 from … where <match> and <where>)`; its rows get aliases of their own. */
function existsSql(outer: Source, e: Exists, ctx: SubqueryContext): Sql {
  const meta = ctx.metadata.find(e.entity);
  if (!meta) throw new Error(`${outer.meta.className}: $exists reads ${e.entity.name}, which is not an entity of this subgraph`);
  if (!Object.keys(e.match ?? {}).length) throw new Error(`${outer.meta.className}: $exists on ${meta.className} needs a match`);
  const inner = new Source(`exists:${meta.className}`, meta, ctx.ident, { commune: null, province: null, area: null }, `x${++ctx.subqueries}`);
  const match = Object.entries(e.match).map(([theirs, ours]) => sql(`${inner.column(theirs)} = ${outer.column(ours)}`));
  const where = typeof e.where === 'function' ? e.where(BOUNDS) : (e.where ?? {});
  const condition = joinSql([...match, conditionSql(inner, where, '', ctx)], ' and ', '1 = 1');
  return sql(`exists (select 1 from ${inner.table} as ${inner.alias} ${inner.joinText()} where ${condition.text})`, condition.params);
}

function operand(value: unknown): Sql {
  return value instanceof PeriodBound ? sql(`fp.${value.column}`) : sql('?', [value]);
}

/** A comparison of one column; every form but `is null` is false on a missing joined row, so it needs that row. */
function comparisonSql(source: Source, ref: { text: string; alias: string }, value: unknown): Sql {
  const column = ref.text;
  const needs = new Set([ref.alias]);
  if (value === null) return sql(`${column} is null`);
  if (Array.isArray(value)) return comparisonSql(source, ref, { $in: value });
  if (!isOperators(value)) {
    const o = operand(value);
    return sql(`${column} = ${o.text}`, o.params, needs);
  }
  const parts = Object.entries(value).map(([op, v]): Sql => {
    if (op === '$in') {
      const list = v as unknown[];
      return list.length ? sql(`${column} in (?)`, [[...list]], needs) : sql('1 = 0');
    }
    const cmp = COMPARISONS[op];
    if (!cmp) throw new Error(`${source.meta.className}: operator ${op} is not supported in figure conditions`);
    if (v === null && (op === '$eq' || op === '$ne')) return op === '$ne' ? sql(`${column} is not null`, [], needs) : sql(`${column} is null`);
    const o = operand(v);
    return sql(`${column} ${cmp} ${o.text}`, o.params, needs);
  });
  return joinSql(parts, ' and ', '1 = 1');
}

/** A statement's text for one shape (source, kind of place, figures, number of periods, area or not); built once. */
interface Shape {
  text: string;
  figures: CompiledFigure[];
}

/** A statement of whole cell tables (`tableShape`). */
interface TableShape extends Shape {
  /** The figures' parameters (constants of the conditions), between the periods' and the places'. */
  params: unknown[];
}

/** A statement for the places asked (`shape`), with its parameters put in text order. */
interface PlaceShape extends Shape {
  /** The periods' parameters (`periodValues`), the places asked, the caller's communes (with an area filter). */
  bind(periods: unknown[], places: unknown[], area: unknown[] | null): unknown[];
}

/** The parameters of `periodTable`'s rows: id, first day, last day, year. */
const periodValues = (periods: readonly ReportingPeriod[]): unknown[] => periods.flatMap((p) => [p.id, p.from, p.to, Number(p.from.slice(0, 4))]);

export class CompiledSet {
  private readonly sources = new Map<string, Source>();
  private readonly figures = new Map<string, CompiledFigure>();
  private readonly shapes = new Map<string, TableShape>();
  private readonly placeShapes = new Map<string, PlaceShape>();
  private readonly dateParam: string;
  private readonly sqlite: boolean;
  private readonly ident: (name: string) => string;
  private readonly knownCommune: { table: string; code: string; province: string; otherCode: string; otherProvince: string };

  constructor(
    readonly set: FigureSet,
    private readonly metadata: MetadataStorage,
    platform: Platform,
  ) {
    this.ident = (name) => platform.quoteIdentifier(name);
    // PostgreSQL types the period table's columns from its first row: the dates must say they are dates.
    this.dateParam = platform instanceof BasePostgreSqlPlatform ? 'cast(? as date)' : '?';
    this.sqlite = !(platform instanceof BasePostgreSqlPlatform);
    const kc = metadata.find(KnownCommune)!;
    const column = (prop: 'code' | 'provinceCode') => kc.properties[prop].fieldNames[0];
    this.knownCommune = {
      table: this.ident(kc.tableName),
      code: this.ident(`kc.${column('code')}`),
      province: this.ident(`kc.${column('provinceCode')}`),
      // A second alias, for "the provinces of these communes".
      otherCode: this.ident(`okc.${column('code')}`),
      otherProvince: this.ident(`okc.${column('provinceCode')}`),
    };
    for (const [name, f] of Object.entries(set.fields)) if (isFigure(f)) this.figures.set(name, this.compileFigure(name, f));
  }

  figure(name: string): CompiledFigure {
    return this.figures.get(name)!;
  }

  /**
   * `with fp (…)`: the periods' rows. On SQLite in `fp_id` order, materialized: with the communes read
   * in code order, a statement grouped by commune and period then meets its rows in group order and
   * needs no sorter (health's and police's cell tables, 16 → 12 ms and 29 → 25 ms).
   */
  private periodTable(periods: number): string {
    const rows = Array.from({ length: periods }, () => `(?, ${this.dateParam}, ${this.dateParam}, ?)`).join(', ');
    return this.sqlite
      ? `with fp_rows (fp_id, fp_from, fp_to, fp_year) as (values ${rows}), fp as materialized (select * from fp_rows order by fp_id)`
      : `with fp (fp_id, fp_from, fp_to, fp_year) as (values ${rows})`;
  }

  private compileFigure(name: string, f: Figure): CompiledFigure {
    const meta = this.metadata.find(f.entity);
    if (!meta) throw new Error(`${this.set.agency} figure ${name}: ${f.entity.name} is not an entity of this subgraph`);
    const area = areaPathOf(meta as unknown as EntityShape);
    const commune = f.province ? null : (f.commune ?? area ?? 'communeCode');
    const id = `${meta.className}:${commune ?? ''}:${f.province ?? ''}`;
    let source = this.sources.get(id);
    if (!source) this.sources.set(id, (source = new Source(id, meta, this.ident, { commune, province: f.province ?? null, area })));
    const where = typeof f.where === 'function' ? f.where(BOUNDS) : (f.where ?? {});
    const inPeriod = f.period ? { [f.period]: { $gte: BOUNDS.from, $lte: BOUNDS.to } } : {};
    const condition = conditionSql(source, { $and: [inPeriod, where] }, '', { metadata: this.metadata, ident: this.ident, subqueries: 0 });
    const agg = f.aggregate ?? 'count';
    const aggregate =
      agg === 'count'
        ? 'count(*)'
        : 'countDistinct' in agg
          ? `count(distinct ${source.column(agg.countDistinct)})`
          : 'sum' in agg
            ? `sum(${source.column(agg.sum)})`
            : 'max' in agg
              ? `max(${source.column(agg.max)})`
              : `min(${source.column(agg.min)})`;
    const max = typeof agg === 'object' && ('max' in agg || 'min' in agg);
    return { name, source, aggregate, condition, empty: max ? null : 0, numeric: !max, periodFree: !f.period && typeof f.where !== 'function' };
  }

  /** The statement for figures of one source, `periods` periods, one kind of place; built once per shape. */
  shape(source: Source, kind: PlaceKind, figures: CompiledFigure[], periods: number, area: boolean): PlaceShape {
    const key = `${source.id}|${kind}|${figures.map((f) => f.name).join(',')}|${periods}|${area}`;
    let shape = this.placeShapes.get(key);
    if (shape) return shape;
    const kc = this.knownCommune;
    const viaProvince = kind === 'communes' || (kind === 'province' && !source.province);
    const place = kind === 'commune' ? source.commune! : viaProvince ? kc.province : source.province!;
    // The communes by kc's code (the same value): the order they are read in (`periodTable`).
    const commune = kind === 'communes' ? `, ${kc.code} as commune` : '';
    // Figures that keep the same rows (the same period column, say) need their condition once.
    const conditions = [...new Map(figures.map((f) => [JSON.stringify(f.condition), f.condition])).values()];
    const on = anyOf(conditions);
    const selects = this.selects(figures, conditions);
    // Rows the `join fp` or the place filter drops anyway need not be left-joined.
    const placeAlias = kind === 'commune' || viaProvince ? source.placeAlias('commune') : source.placeAlias('province');
    const inner = source.withParents([...(on.needs ?? []), placeAlias ?? '', ...(area ? [source.placeAlias('area') ?? ''] : [])]);
    const periodTable = this.periodTable(periods);
    // SQLite, a province's distinct count: one subquery per period. Grouped, every row joined to its
    // period went through a sorter before the distinct b-tree (g2's distinct workers: 68 → 37 ms).
    if (this.sqlite && kind === 'province' && viaProvince && figures.length === 1 && figures[0].aggregate.startsWith('count(distinct')) {
      const text = [
        periodTable,
        `select pl.place as place, fp.fp_id as pid, (select ${figures[0].aggregate} from ${source.table} as e`,
        source.joinText(inner),
        `join ${kc.table} as kc on ${kc.code} = ${source.commune}`,
        `where ${kc.province} = pl.place${area ? ` and ${source.area} in (?)` : ''} and ${on.text}) as f0`,
        `from (select distinct ${kc.province} as place from ${kc.table} as kc where ${kc.province} in (?)) as pl cross join fp`,
      ]
        .filter(Boolean)
        .join(' ');
      shape = { text, figures, bind: (p, places, areaList) => [...p, ...(area ? [areaList] : []), ...on.params, places] };
      this.placeShapes.set(key, shape);
      return shape;
    }
    const text = [
      periodTable,
      `select ${place} as place${commune}, fp.fp_id as pid, ${selects.text}`,
      `from ${source.table} as e`,
      source.joinText(inner),
      viaProvince ? `join ${kc.table} as kc on ${kc.code} = ${source.commune}` : '',
      // Only the rows some figure counts in some period reach the aggregates.
      `join fp on ${on.text}`,
      `where ${place} in (?)${area ? ` and ${source.area} in (?)` : ''}`,
      `group by ${place}${kind === 'communes' ? `, ${kc.code}` : ''}, fp.fp_id`,
    ]
      .filter(Boolean)
      .join(' ');
    const params = [...selects.params, ...on.params];
    shape = { text, figures, bind: (p, places, areaList) => [...p, ...params, places, ...(area ? [areaList] : [])] };
    this.placeShapes.set(key, shape);
    return shape;
  }

  /**
   * The figures' aggregates, `f0, f1, …`, each filtered by what its condition asks beyond what the
   * `join fp` keeps already (`anyOf`: the conjuncts all conditions share), and not at all when that is
   * nothing. Testing every row again for what the join had tested cost g2's distinct workers a quarter
   * of the statement, and police's management files 46 → 34 ms (the open-on-the-period's-last-day test
   * three times over).
   */
  private selects(figures: CompiledFigure[], conditions: Sql[]): Sql {
    const shared = sharedConjuncts(conditions);
    const parts = figures.map((f, i) => {
      const only = conditions.length === 1 ? sql('1 = 1') : rest(f.condition, shared);
      return only.text === '1 = 1' ? sql(`${f.aggregate} as f${i}`) : sql(`${f.aggregate} filter (where ${only.text}) as f${i}`, only.params);
    });
    return sql(parts.map((p) => p.text).join(', '), parts.flatMap((p) => p.params));
  }

  /**
   * Small-cell figures for callers who may not see them (and the other figures of their source):
   * every cell of the provinces asked about (each commune and the province itself) in the periods
   * given (the years asked about, down to the finest kind asked), in one statement: each commune's
   * rows, then the province's (`commune` null), for `suppressCells`.
   * Parameters: periods, then `params`, the communes asked about, the provinces asked about, then
   * `params` and the two lists again. Never filtered by the caller's area: what is withheld must not
   * depend on who asks.
   */
  tableShape(source: Source, figures: CompiledFigure[], periods: number): TableShape {
    const key = `table|${source.id}|${figures.map((f) => f.name).join(',')}|${periods}`;
    let shape = this.shapes.get(key);
    if (shape) return shape;
    const kc = this.knownCommune;
    const conditions = [...new Map(figures.map((f) => [JSON.stringify(f.condition), f.condition])).values()];
    const on = anyOf(conditions);
    const selects = this.selects(figures, conditions);
    const inner = source.withParents([...(on.needs ?? []), source.placeAlias('commune') ?? '']);
    const half = (commune: string, groupBy: string) =>
      [
        `select ${kc.province} as place, ${commune} as commune, fp.fp_id as pid, ${selects.text}`,
        `from ${source.table} as e`,
        source.joinText(inner),
        `join ${kc.table} as kc on ${kc.code} = ${source.commune}`,
        `join fp on ${on.text}`,
        `where ${kc.province} in (select ${kc.otherProvince} from ${kc.table} as okc where ${kc.otherCode} in (?) or ${kc.otherProvince} in (?))`,
        `group by ${groupBy}`,
      ]
        .filter(Boolean)
        .join(' ');
    const text = [
      this.periodTable(periods),
      // By the commune's own code (the same value): the order the communes are read in.
      half(kc.code, `${kc.province}, ${kc.code}, fp.fp_id`),
      'union all',
      half('null', `${kc.province}, fp.fp_id`),
    ].join(' ');
    shape = { text, params: [...selects.params, ...on.params], figures };
    this.shapes.set(key, shape);
    return shape;
  }

  sourceOf(name: string): Source {
    return this.figure(name).source;
  }
}

const keyOf = (kind: PlaceKind, place: string, period: string, figure: string) => `${kind}\u0000${place}\u0000${period}\u0000${figure}`;
const keyId = (k: FigureKey) => keyOf(k.kind, k.place, k.period.id, k.figure);

/**
 * One request's figures of one agency: every key asked for while the request resolves (the
 * planner's entity fetches, current and previous periods) is computed together, one statement
 * per source and kind of place.
 */
function figureLoader(set: FigureSet, ctx: SubgraphContext): DataLoader<FigureKey, unknown, string> {
  return new DataLoader<FigureKey, unknown, string>(
    async (keys) => {
      const grant = await ctx.area.ready;
      const compiled = set.compile(ctx.em);
      const refused = new Map<string, Error>();
      const groups = new Map<string, { source: Source; kind: PlaceKind; free: boolean; figures: Set<string>; periods: Map<string, ReportingPeriod>; places: Set<string> }>();
      // Counts of persons for a caller who may not see small cells come from whole tables (small-cells.ts).
      const protect = !seesSmallCells(ctx.caller?.scopes ?? []);
      const tabled: FigureKey[] = [];
      const tabledSources = new Set<Source>();
      for (const key of keys) {
        const source = compiled.sourceOf(key.figure);
        if (protect && key.kind !== 'communes' && set.figure(key.figure).smallCell && source.commune) tabledSources.add(source);
      }
      for (const key of keys) {
        // The schema refuses these before a resolver runs; checked again where the figures are made.
        const covered = key.kind === 'commune' ? ctx.area.covers(key.place) : ctx.area.coversProvince(key.place);
        if (!covered) {
          refused.set(keyId(key), outsideArea(`${key.kind === 'commune' ? 'commune' : 'province'} ${key.place}`));
          continue;
        }
        const source = compiled.sourceOf(key.figure);
        // Period-free figures are read once for every period, apart from the figures of periods:
        // joined with the periods they would multiply every row of the table by their number.
        const free = compiled.figure(key.figure).periodFree;
        // The source's other period figures come from the same statement: it reads the places and periods anyway.
        if (key.kind !== 'communes' && tabledSources.has(source) && (!free || set.figure(key.figure).smallCell)) {
          tabled.push(key);
          continue;
        }
        const id = `${source.id}|${key.kind}|${free}`;
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { source, kind: key.kind, free, figures: new Set(), periods: new Map(), places: new Set() }));
        g.figures.add(key.figure);
        g.periods.set(key.period.id, key.period);
        g.places.add(key.place);
      }
      const values = new Map<string, unknown>();
      const areaCommunes = grant.everywhere ? null : [...grant.communes];
      // With no commune in the area nothing is counted (and SQL has no empty `in ()`).
      const asked = areaCommunes?.length === 0 ? [] : [...groups.values()];
      await Promise.all([
        ...(tabled.length ? [withheldCells(ctx, compiled, tabled, values)] : []),
        ...asked.map(async (g) => {
          // Each statement on a turn of its own (SQLite runs it on the event loop).
          await turns.point(ctx);
          const figures = [...g.figures].sort().map((name) => compiled.figure(name));
          const useArea = areaCommunes !== null && g.source.area !== null;
          const periods = [...g.periods.values()];
          // A period-free group is read for its first period and answers every other the same.
          const read = g.free ? periods.slice(0, 1) : periods;
          const shape = compiled.shape(g.source, g.kind, figures, read.length, useArea);
          const params = shape.bind(periodValues(read), [...g.places], useArea ? areaCommunes : null);
          // A figure statement reads a whole table: off the event loop where it can be (sqlite-reader.ts).
          const rows = await longReads(() => ctx.em.execute<Array<Record<string, unknown>>>(shape.text, params));
          for (const row of rows) {
            shape.figures.forEach((f, i) => {
              const raw = row[`f${i}`];
              // PostgreSQL hands bigint and numeric aggregates back as strings.
              const value = raw == null ? f.empty : f.numeric ? Number(raw) : raw;
              for (const pid of g.free ? g.periods.keys() : [String(row.pid)]) {
                const id = keyOf(g.kind, String(row.place), pid, f.name);
                if (g.kind !== 'communes') values.set(id, value);
                else if (typeof value === 'number' && value > 0) values.set(id, [...((values.get(id) as string[] | undefined) ?? []), String(row.commune)].sort());
              }
            });
          }
        }),
      ]);
      return keys.map((key) => {
        const id = keyId(key);
        const error = refused.get(id);
        if (error) return error;
        if (values.has(id)) return values.get(id);
        return key.kind === 'communes' ? [] : compiled.figure(key.figure).empty;
      });
    },
    {
      cacheKeyFn: keyId,
      // After every resolver of the request's current wave has asked (the area check may defer some
      // by a tick, and a big request's resolvers take turns: turns.ts).
      batchScheduleFn: (run) => turns.afterWaiting(ctx, run),
    },
  );
}

/**
 * Small-cell figures for a caller who may not see small cells: each figure's table for the province
 * (its communes and itself; the year, and its quarters and months as far down as asked) is read
 * whole, `suppressCells` decides what is withheld, and the cells asked for are answered from it
 * (null where withheld). The same cells are withheld whichever cell, place or path asks. Other
 * figures of the same source are answered from the same statement, never withheld.
 */
async function withheldCells(ctx: SubgraphContext, compiled: CompiledSet, keys: FigureKey[], values: Map<string, unknown>): Promise<void> {
  const bySource = new Map<Source, { figures: Set<string>; years: Map<string, PeriodLevel>; communes: Set<string>; provinces: Set<string> }>();
  const depth = { YEAR: 1, QUARTER: 2, MONTH: 3 };
  for (const key of keys) {
    const source = compiled.sourceOf(key.figure);
    let g = bySource.get(source);
    if (!g) bySource.set(source, (g = { figures: new Set(), years: new Map(), communes: new Set(), provinces: new Set() }));
    // Figures linked by relations are settled together, whichever of them was asked.
    for (const name of compiled.set.relatedTo(key.figure)) g.figures.add(name);
    // Each year down to the finest period asked in it (coarser cells never depend on finer ones).
    const year = key.period.id.slice(0, 4);
    const finest = g.years.get(year);
    if (!finest || depth[key.period.kind] > depth[finest]) g.years.set(year, key.period.kind);
    (key.kind === 'commune' ? g.communes : g.provinces).add(key.place);
  }
  await Promise.all(
    [...bySource].map(async ([source, g]) => {
      await turns.point(ctx);
      const figures = [...g.figures].sort().map((name) => compiled.figure(name));
      const years = [...g.years].sort(([a], [b]) => (a < b ? -1 : 1));
      const periods = years.flatMap(([year, finest]) => periodsOfYear(year, finest)).map((id) => parsePeriod(id));
      const shape = compiled.tableShape(source, figures, periods.length);
      // SQL has no empty `in ()`: '' is no code.
      const lists = [g.communes.size ? [...g.communes] : [''], g.provinces.size ? [...g.provinces] : ['']];
      const params = [...periodValues(periods), ...shape.params, ...lists, ...shape.params, ...lists];
      const rows = await longReads(() => ctx.em.execute<Array<Record<string, unknown>>>(shape.text, params));
      // figure → province → `place|period` → value (not empty ones); the province's own cells under `P<code>`.
      const cells = new Map<string, Map<string, Map<string, unknown>>>();
      const provinceOf = new Map<string, string>();
      for (const row of rows) {
        const province = String(row.place);
        const place = row.commune == null ? `P${province}` : String(row.commune);
        if (row.commune != null) provinceOf.set(place, province);
        shape.figures.forEach((f, i) => {
          const raw = row[`f${i}`];
          const v = raw == null ? f.empty : f.numeric ? Number(raw) : raw;
          if (v === f.empty) return;
          let byProvince = cells.get(f.name);
          if (!byProvince) cells.set(f.name, (byProvince = new Map()));
          let table = byProvince.get(province);
          if (!table) byProvince.set(province, (table = new Map()));
          table.set(`${place}|${row.pid}`, v);
        });
      }
      const withheld = new Map<string, Set<string>>();
      // Cells are `figure|place|period`; figures linked by relations share one table.
      const withheldIn = (figure: string, province: string): Set<string> => {
        const related = compiled.set.relatedTo(figure);
        const id = `${related.join(',')}|${province}`;
        let out = withheld.get(id);
        if (!out) {
          const table = new Map<string, number>();
          for (const name of related) for (const [k, v] of cells.get(name)?.get(province) ?? []) table.set(`${name}|${k}`, v as number);
          const communes = [...new Set([...table.keys()].map((k) => k.split('|')[1]).filter((p) => !p.startsWith('P')))].sort();
          const figures = related.map((name) => ({ name, time: compiled.set.figure(name).atPeriodEnd ? ('atPeriodEnd' as const) : ('sum' as const) }));
          const relations = compiled.set.relations.filter((r) => related.includes(r.total));
          const levels = years.flatMap(([year, finest]) =>
            relatedFiguresGroups(figures, relations, `P${province}`, communes, year, (name, place, period) => `${name}|${place}|${period}`, finest),
          );
          withheld.set(id, (out = suppressCells(table, ...levels)));
        }
        return out;
      };
      for (const key of keys) {
        if (compiled.sourceOf(key.figure) !== source) continue;
        const province = key.kind === 'commune' ? provinceOf.get(key.place) : key.place;
        const cell = `${key.kind === 'commune' ? key.place : `P${key.place}`}|${key.period.id}`;
        // A commune without a row in these years counts 0 everywhere: nothing to withhold.
        const { empty } = compiled.figure(key.figure);
        const value = province === undefined ? empty : (cells.get(key.figure)?.get(province)?.get(cell) ?? empty);
        const small = compiled.set.figure(key.figure).smallCell;
        values.set(keyId(key), small && province !== undefined && withheldIn(key.figure, province).has(`${key.figure}|${cell}`) ? null : value);
      }
    }),
  );
}
