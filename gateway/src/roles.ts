/**
 * What each role may see, as scopes. Fields carry the scopes that may read them as
 * `@tag(name: "scope:<scope>")` in the subgraph schemas; a caller needs one of a field's scopes.
 */
export const ROLE_SCOPES: Record<string, string[]> = {
  // Công an: police data, and whether a person is in treatment — not dosing or test details.
  'police-officer': ['reference:read', 'person:identity', 'police:read', 'police:write', 'health:treatment-status'],
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
};

export const AGENCIES = ['police', 'health', 'education', 'customs', 'legal-aid', 'program'] as const;

export function scopesOf(roles: string[], extra: string[] = []): string[] {
  return [...new Set([...roles.flatMap((r) => ROLE_SCOPES[r] ?? []), ...extra])].sort();
}
