/**
 * What each role may see, as scopes. Fields carry the scopes that may read them as
 * `@tag(name: "scope:<scope>")` in the subgraph schemas; a caller needs one of a field's scopes.
 */
export const ROLE_SCOPES: Record<string, string[]> = {
  // Công an: police data, whether a person is in treatment (not dosing or test details), which seizures a person was held in.
  'police-officer': ['reference:read', 'person:identity', 'police:read', 'police:write', 'health:treatment-status', 'customs:person-seizures'],
  // Y tế: health data, not case details.
  'health-officer': ['reference:read', 'person:identity', 'health:read', 'health:write'],
  'education-officer': ['reference:read', 'education:read', 'education:write'],
  // Hải quan, Biên phòng, Cảnh sát biển: seizures and their hand-over to a case.
  'customs-officer': ['reference:read', 'person:identity', 'customs:read', 'customs:write', 'case:handover'],
  // Trợ giúp pháp lý: its requests and the status of the related case.
  'legal-aid-officer': ['reference:read', 'person:identity', 'legal-aid:read', 'legal-aid:write', 'case:status'],
  // Ban Chỉ đạo: aggregates everywhere.
  'steering-committee': ['reference:read', 'aggregate:read'],
  // Analysts: aggregates and pseudonymous records, ad-hoc queries within a cost budget.
  analyst: ['reference:read', 'aggregate:read', 'person:pseudonym', 'operations:adhoc'],
  // The dashboard page: registered operations only.
  dashboard: ['reference:read', 'aggregate:read'],
  // An agency's build pipeline: publishes its own subgraph's schema and its clients' operations.
  publisher: ['registry:publish'],
};

/** The agency each role works for; a publisher's agency is named in its token. */
export const ROLE_AGENCY: Record<string, string> = {
  'police-officer': 'police',
  'health-officer': 'health',
  'education-officer': 'education',
  'customs-officer': 'customs',
  'legal-aid-officer': 'legal-aid',
  'steering-committee': 'program',
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
  'steering-committee': 'dashboard',
  dashboard: 'dashboard',
  analyst: 'explorer',
};

/** Every scope some role of `agency` holds: what that agency's client applications may read. */
export function agencyScopes(agency: string): string[] {
  return scopesOf(Object.keys(ROLE_AGENCY).filter((r) => ROLE_AGENCY[r] === agency));
}

export const AGENCIES = ['police', 'health', 'education', 'customs', 'legal-aid', 'program'] as const;

export function scopesOf(roles: string[], extra: string[] = []): string[] {
  return [...new Set([...roles.flatMap((r) => ROLE_SCOPES[r] ?? []), ...extra])].sort();
}
