import { SUBGRAPH_NAMES } from '@pcmt/kit/subgraph-list';

/** Keeps each scope's name as its type, so that `GrantedScope` is the roles' scopes and nothing else. */
const grants = <S extends string>(table: Record<string, S[]>): Record<string, S[]> => table;

/**
 * What each role may see, as scopes. Fields carry the scopes that may read them as
 * `@tag(name: "scope:<scope>")` in the subgraph schemas (the kit's `@Scopes(...)`, typed by this
 * table); a caller needs one of a field's scopes.
 */
const GRANTS = grants({
  // Every officer of an agency that reports data also closes its own reporting periods (reporting:close,
  // khóa sổ kỳ báo cáo: program's closeReportingPeriod records the closure under the caller's agency).
  // Công an: police data, whether a person is in treatment (not dosing or test details), which seizures a person was held in.
  'police-officer': ['reference:read', 'person:identity', 'police:read', 'police:write', 'health:treatment-status', 'customs:person-seizures', 'reporting:close'],
  // Y tế: health data, not case details.
  'health-officer': ['reference:read', 'person:identity', 'health:read', 'health:write', 'reporting:close'],
  'education-officer': ['reference:read', 'education:read', 'education:write', 'reporting:close'],
  // Hải quan, Biên phòng, Cảnh sát biển: seizures and their hand-over to a case.
  'customs-officer': ['reference:read', 'person:identity', 'customs:read', 'customs:write', 'case:handover', 'reporting:close'],
  // Trợ giúp pháp lý: its requests and the status of the related case.
  'legal-aid-officer': ['reference:read', 'person:identity', 'legal-aid:read', 'legal-aid:write', 'case:status', 'reporting:close'],
  // Bộ đội Biên phòng: posts, anti-drug units, its seizures and their hand-over to a case, joint operations.
  'border-guard-officer': ['reference:read', 'person:identity', 'border-guard:read', 'border-guard:write', 'case:handover', 'reporting:close'],
  // Ban Chỉ đạo: aggregates everywhere.
  'steering-committee': ['reference:read', 'aggregate:read'],
  // Văn phòng thường trực Ban Chỉ đạo (at the provincial police): records the province's plans.
  'program-officer': ['reference:read', 'aggregate:read', 'program:write'],
  // Văn phòng Ủy ban Quốc gia PCMT: aggregates of every province (area:national, kit area.ts).
  'national-steering-committee': ['reference:read', 'aggregate:read', 'area:national'],
  // Analysts: aggregates and pseudonymous records, ad-hoc queries within a cost budget.
  analyst: ['reference:read', 'aggregate:read', 'person:pseudonym', 'operations:adhoc'],
  // The dashboard page: registered operations only.
  dashboard: ['reference:read', 'aggregate:read'],
  // An agency's build pipeline: publishes its own subgraph's schema and its clients' operations.
  publisher: ['registry:publish'],
});

/** Every scope some role grants. test/schema.test.ts checks that the schema uses each (or says why not). */
export type GrantedScope = (typeof GRANTS)[string][number];

// The kit's access decorators take these scopes alone: a scope no role grants is a type error.
declare module '@pcmt/kit/access-tags' {
  interface GrantedScopes extends Record<GrantedScope, true> {}
}

/** The same table, for lookups by any role name. */
export const ROLE_SCOPES: Record<string, string[]> = GRANTS;

/** The agency each role works for; a publisher's agency is named in its token. */
export const ROLE_AGENCY: Record<string, string> = {
  'police-officer': 'police',
  'health-officer': 'health',
  'education-officer': 'education',
  'customs-officer': 'customs',
  'legal-aid-officer': 'legal-aid',
  'border-guard-officer': 'border-guard',
  'steering-committee': 'program',
  'program-officer': 'program',
  'national-steering-committee': 'program',
  analyst: 'program',
  dashboard: 'program',
};

/**
 * The client application each role's tokens name (`client_id`): a caller without ad-hoc rights runs
 * only the operations registered for its client. Analysts work in the explorer, ad hoc.
 */
export const ROLE_CLIENT: Record<string, string> = {
  'police-officer': 'police-app',
  'health-officer': 'health-app',
  'education-officer': 'education-app',
  'customs-officer': 'customs-app',
  'legal-aid-officer': 'legal-aid-app',
  'border-guard-officer': 'border-guard-app',
  'steering-committee': 'dashboard',
  'program-officer': 'dashboard',
  'national-steering-committee': 'dashboard',
  dashboard: 'dashboard',
  analyst: 'explorer',
};

/** Every scope some role of `agency` holds: what that agency's client applications may read. */
export function agencyScopes(agency: string): string[] {
  return scopesOf(Object.keys(ROLE_AGENCY).filter((r) => ROLE_AGENCY[r] === agency));
}

/** One agency per subgraph (the one list of subgraphs); `program` is the steering committee's. */
export const AGENCIES: readonly string[] = SUBGRAPH_NAMES;

export function scopesOf(roles: string[], extra: string[] = []): string[] {
  return [...new Set([...roles.flatMap((r) => ROLE_SCOPES[r] ?? []), ...extra])].sort();
}
