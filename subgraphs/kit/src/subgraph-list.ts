/**
 * The one list of the graph's subgraphs. Scripts, default ports, the gateway's agency names, roles,
 * docker-compose.yml and the tests all read it; test/schema.test.ts fails when a folder of
 * `subgraphs/` (other than the kit) is missing from it, or the list names a subgraph nobody serves.
 * `npm run subgraph:new -- <name>` adds an entry.
 */
export interface SubgraphEntry {
  /** Folder `subgraphs/<name>`, package `@pcmt/<name>`, the name in the supergraph. */
  name: string;
  /** Default port (env `<NAME>_PORT` or `PORT` overrides it). */
  port: number;
  /** The agency behind it, as callers are told when it does not answer. */
  agency: { vi: string; en: string };
  /**
   * Entities of the graph that this one adds fields to or returns (owned elsewhere, or shared like
   * the period types). Each must stay in its SDL with its key: a
   * type-graphql subgraph that forgets one in `orphanedTypes` drops the extension silently,
   * which `npm run schema:check` then reports.
   */
  extends: string[];
}

/** In start order: program first (it reads everyone's figures but starts without them). */
export const SUBGRAPHS: readonly SubgraphEntry[] = [
  { name: 'program', port: 4006, agency: { vi: 'Ban Chỉ đạo phòng, chống ma túy', en: 'the Drug Control Steering Committee' }, extends: ['CommunePeriod', 'ProvincePeriod'] },
  { name: 'police', port: 4001, agency: { vi: 'Công an tỉnh', en: 'the Provincial Police' }, extends: ['Commune', 'Substance', 'CommunePeriod', 'ProvincePeriod'] },
  { name: 'health', port: 4002, agency: { vi: 'Sở Y tế', en: 'the Department of Health' }, extends: ['Person', 'Commune', 'Substance', 'CommunePeriod', 'ProvincePeriod'] },
  { name: 'education', port: 4003, agency: { vi: 'Sở Giáo dục và Đào tạo', en: 'the Department of Education and Training' }, extends: ['Commune', 'CommunePeriod', 'ProvincePeriod'] },
  { name: 'customs', port: 4004, agency: { vi: 'Hải quan', en: 'Customs' }, extends: ['Person', 'Commune', 'DrugCase', 'Substance', 'CommunePeriod', 'ProvincePeriod'] },
  { name: 'legal-aid', port: 4005, agency: { vi: 'Trung tâm Trợ giúp pháp lý', en: 'the Legal Aid Centre' }, extends: ['Person', 'Commune', 'DrugCase', 'CommunePeriod', 'ProvincePeriod'] },
  { name: 'border-guard', port: 4007, agency: { vi: 'Bộ đội Biên phòng', en: 'the Border Guard' }, extends: ['Person', 'Commune', 'DrugCase', 'Substance', 'CommunePeriod', 'ProvincePeriod'] },
  // subgraph:new adds entries above this line.
];

export const SUBGRAPH_NAMES: readonly string[] = SUBGRAPHS.map((s) => s.name);

export function subgraphEntry(name: string): SubgraphEntry | undefined {
  return SUBGRAPHS.find((s) => s.name === name);
}
