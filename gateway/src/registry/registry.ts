import { parse } from 'graphql';
import { agencyScopes, AGENCIES, ROLE_SCOPES } from '../roles.js';
import { checkAccessTags, checkRegisteredOperations, composeSubgraphs, diffSupergraphs, type BrokenOperation, type RegisteredDocument, type SchemaChange, type SubgraphInput } from './checks.js';
import { checkClientDocuments, operationDocuments, operationText, type DocumentProblem, type OperationDocument } from './documents.js';
import type { Sql } from './sql.js';

/** What is served before anything is published: the committed supergraph and the subgraph SDLs it was composed from. */
export interface Baseline {
  supergraphSdl: string;
  subgraphs: SubgraphInput[];
}

export interface ClientPublish {
  client: string;
  /** The publisher's agency: the first publish of a client makes it the owner. */
  agency: string;
  /** Defaults to the next number; the same version with the same documents is a no-op. */
  version?: string;
  /** Source texts (each named operation becomes a document), or single documents with the id the client computed. */
  documents: Array<{ body: string; id?: string }>;
  publishedBy: string;
}

export interface ClientPublishReport {
  accepted: boolean;
  client: string;
  version?: string;
  unchanged?: boolean;
  documents: Array<{ id: string; operationName: string | null }>;
  problems: DocumentProblem[];
  message: string;
}

export interface SchemaPublish {
  name: string;
  agency: string;
  sdl: string;
  routingUrl: string;
  publishedBy: string;
  reason?: string;
  /** Accept even though registered operations would break; needs a written reason. */
  force?: boolean;
}

export interface SchemaPublishReport {
  accepted: boolean;
  subgraph: string;
  version?: number;
  unchanged?: boolean;
  forced?: boolean;
  compositionErrors: string[];
  accessProblems: string[];
  changes: SchemaChange[];
  brokenOperations: BrokenOperation[];
  message: string;
}

export interface ChangelogEntry {
  seq: number;
  subgraph: string;
  version: number;
  action: 'baseline' | 'publish' | 'rollback';
  routingUrl: string;
  publishedBy: string;
  agency: string;
  publishedAt: string;
  reason: string | null;
  changes: SchemaChange[];
  brokenOperations: BrokenOperation[];
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
  }
}

/** An agency publishes the subgraph named after it and any named `<agency>-…`. */
export const ownsSubgraph = (agency: string, name: string) => name === agency || name.startsWith(`${agency}-`);

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

const TABLES = (serial: string) => [
  `create table if not exists registry_client (name text primary key, agency text not null, created_at text not null)`,
  `create table if not exists registry_document (id text primary key, body text not null, operation_name text)`,
  `create table if not exists registry_client_version (client text not null, version text not null, published_by text not null, published_at text not null, primary key (client, version))`,
  `create table if not exists registry_client_document (client text not null, version text not null, document_id text not null, primary key (client, version, document_id))`,
  `create table if not exists registry_schema_version (seq ${serial} primary key, subgraph text not null, version integer not null, action text not null, sdl text not null, routing_url text not null, published_by text not null, agency text not null, published_at text not null, reason text, changes text not null, broken text not null, supergraph text not null, unique (subgraph, version))`,
];

interface SchemaRow {
  seq: number;
  subgraph: string;
  version: number;
  action: string;
  sdl: string;
  routing_url: string;
  published_by: string;
  agency: string;
  published_at: string;
  reason: string | null;
  changes: string;
  broken: string;
}

/**
 * The registry: client applications with their registered operations, and the subgraph schemas
 * agencies publish. Every gateway replica reads it; a publish is one transaction that either
 * passes every check or changes nothing.
 */
export class Registry {
  private constructor(
    readonly sql: Sql,
    private readonly baseline: () => Baseline,
  ) {}

  static async open(sql: Sql, baseline: () => Baseline): Promise<Registry> {
    for (const statement of TABLES(sql.kind === 'postgresql' ? 'bigserial' : 'integer')) await sql.run(statement);
    return new Registry(sql, baseline);
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  /** Changes whenever a client version or a schema version is added: replicas poll it. */
  async revision(): Promise<string> {
    const [row] = await this.sql.all<{ c: number; s: number }>(
      'select (select count(*) from registry_client_version) as c, (select coalesce(max(seq), 0) from registry_schema_version) as s',
    );
    return `${row.c}:${row.s}`;
  }

  /** The supergraph to serve: the newest accepted composition, or null before the first publish. */
  async publishedSupergraph(sql: Sql = this.sql): Promise<string | null> {
    const [row] = await sql.all<{ supergraph: string }>('select supergraph from registry_schema_version order by seq desc limit 1');
    return row?.supergraph ?? null;
  }

  async currentSupergraph(sql: Sql = this.sql): Promise<string> {
    return (await this.publishedSupergraph(sql)) ?? this.baseline().supergraphSdl;
  }

  // ---- clients and their operations ----

  async publishClient(input: ClientPublish): Promise<ClientPublishReport> {
    if (!NAME.test(input.client)) throw new RegistryError(`client name "${input.client}" must be lower-case letters, digits and dashes`, 400);
    if (input.version !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(input.version)) throw new RegistryError('version must be 1–64 letters, digits, dots, dashes or underscores', 400);
    let documents: OperationDocument[];
    try {
      documents = dedupe(input.documents.flatMap((d) => operationDocuments(d.body, d.id)));
    } catch (err) {
      throw new RegistryError(`unreadable document: ${(err as Error).message}`, 400);
    }
    if (documents.length === 0) throw new RegistryError('no operations to register', 400);
    const names = documents.map((d) => d.operationName).filter(Boolean);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length) throw new RegistryError(`operation names must be unique within a client version: ${[...new Set(twice)].join(', ')}`, 400);

    return this.sql.transaction(async (sql) => {
      const [owner] = await sql.all<{ agency: string }>('select agency from registry_client where name = ?', [input.client]);
      if (owner && owner.agency !== input.agency) throw new RegistryError(`client ${input.client} belongs to agency ${owner.agency}`, 403);
      const listed = documents.map((d) => ({ id: d.id, operationName: d.operationName }));
      const problems = checkClientDocuments(await this.currentSupergraph(sql), documents, agencyScopes(input.agency));
      if (problems.length) {
        return { accepted: false, client: input.client, documents: listed, problems, message: `refused: ${problems.length} of ${documents.length} operations cannot be registered` };
      }
      const ids = documents.map((d) => d.id).sort();
      const versions = await sql.all<{ version: string }>('select version from registry_client_version where client = ? order by published_at, version', [input.client]);
      const idsOf = async (version: string) =>
        (await sql.all<{ document_id: string }>('select document_id from registry_client_document where client = ? and version = ? order by document_id', [input.client, version])).map((r) => r.document_id);
      const same = (a: string[]) => a.length === ids.length && a.every((id, i) => id === ids[i]);
      if (input.version !== undefined && versions.some((v) => v.version === input.version)) {
        if (same(await idsOf(input.version))) return { accepted: true, unchanged: true, client: input.client, version: input.version, documents: listed, problems: [], message: `version ${input.version} is already registered with these operations` };
        throw new RegistryError(`version ${input.version} of ${input.client} is already registered with other operations`, 409);
      }
      const last = versions.at(-1);
      if (input.version === undefined && last && same(await idsOf(last.version))) {
        return { accepted: true, unchanged: true, client: input.client, version: last.version, documents: listed, problems: [], message: `unchanged since version ${last.version}` };
      }
      const version = input.version ?? String(versions.length + 1);
      const now = new Date().toISOString();
      if (!owner) await sql.run('insert into registry_client (name, agency, created_at) values (?, ?, ?)', [input.client, input.agency, now]);
      await sql.run('insert into registry_client_version (client, version, published_by, published_at) values (?, ?, ?, ?)', [input.client, version, input.publishedBy, now]);
      for (const d of documents) {
        if ((await sql.all('select 1 from registry_document where id = ?', [d.id])).length === 0) {
          await sql.run('insert into registry_document (id, body, operation_name) values (?, ?, ?)', [d.id, d.body, d.operationName]);
        }
        await sql.run('insert into registry_client_document (client, version, document_id) values (?, ?, ?)', [input.client, version, d.id]);
      }
      return { accepted: true, client: input.client, version, documents: listed, problems: [], message: `registered ${documents.length} operations as ${input.client} version ${version}` };
    });
  }

  /** Every registered document of every client version: what a schema change must not break. */
  async registeredDocuments(sql: Sql = this.sql): Promise<RegisteredDocument[]> {
    const rows = await sql.all<{ client: string; version: string; id: string; operation_name: string | null; body: string }>(
      'select cd.client, cd.version, d.id, d.operation_name, d.body from registry_client_document cd join registry_document d on d.id = cd.document_id order by cd.client, cd.version, d.operation_name',
    );
    return rows.map((r) => ({ client: r.client, version: r.version, id: r.id, operationName: r.operation_name, body: r.body }));
  }

  async clients(): Promise<Array<{ name: string; agency: string; versions: Array<{ version: string; publishedBy: string; publishedAt: string; operations: number }> }>> {
    const clients = await this.sql.all<{ name: string; agency: string }>('select name, agency from registry_client order by name');
    const versions = await this.sql.all<{ client: string; version: string; published_by: string; published_at: string; n: number }>(
      'select v.client, v.version, v.published_by, v.published_at, (select count(*) from registry_client_document d where d.client = v.client and d.version = v.version) as n from registry_client_version v order by v.published_at, v.version',
    );
    return clients.map((c) => ({
      ...c,
      versions: versions.filter((v) => v.client === c.name).map((v) => ({ version: v.version, publishedBy: v.published_by, publishedAt: v.published_at, operations: Number(v.n) })),
    }));
  }

  async operationIndex(): Promise<OperationIndex> {
    return OperationIndex.build(await this.registeredDocuments());
  }

  // ---- subgraph schemas ----

  /** The subgraphs being served and the version of each (baseline rows are written on the first publish). */
  private async currentSubgraphs(sql: Sql): Promise<Map<string, SubgraphInput & { version: number }>> {
    const rows = await sql.all<SchemaRow>('select * from registry_schema_version where seq in (select max(seq) from registry_schema_version group by subgraph)');
    if (rows.length === 0) return new Map(this.baseline().subgraphs.map((s) => [s.name, { ...s, version: 0 }]));
    return new Map(rows.map((r) => [r.subgraph, { name: r.subgraph, url: r.routing_url, sdl: r.sdl, version: Number(r.version) }]));
  }

  async publishSubgraph(input: SchemaPublish, action: 'publish' | 'rollback' = 'publish'): Promise<SchemaPublishReport> {
    if (!NAME.test(input.name)) throw new RegistryError(`subgraph name "${input.name}" must be lower-case letters, digits and dashes`, 400);
    if (!ownsSubgraph(input.agency, input.name)) throw new RegistryError(`agency ${input.agency} may not publish subgraph ${input.name}`, 403);
    if (!/^https?:\/\/\S+$/.test(input.routingUrl)) throw new RegistryError('routing URL must be an http(s) URL', 400);
    try {
      parse(input.sdl);
    } catch (err) {
      throw new RegistryError(`the SDL does not parse: ${(err as Error).message}`, 400);
    }
    if (input.force && !input.reason?.trim()) throw new RegistryError('a forced publish needs a written reason', 400);

    return this.sql.transaction(async (sql) => {
      const current = await this.currentSubgraphs(sql);
      const previous = current.get(input.name);
      const empty = { compositionErrors: [], accessProblems: [], changes: [], brokenOperations: [] };
      if (previous && previous.sdl === input.sdl && previous.url === input.routingUrl && action === 'publish') {
        return { accepted: true, unchanged: true, subgraph: input.name, version: previous.version, ...empty, message: `subgraph ${input.name} is unchanged (version ${previous.version})` };
      }
      const next = new Map(current);
      next.set(input.name, { name: input.name, url: input.routingUrl, sdl: input.sdl, version: 0 });
      const accessProblems = checkAccessTags({ name: input.name, agency: input.agency, sdl: input.sdl }, ROLE_SCOPES, [...AGENCIES]);
      const composed = composeSubgraphs([...next.values()].map(({ name, url, sdl }) => ({ name, url, sdl })));
      const report: SchemaPublishReport = { accepted: false, subgraph: input.name, compositionErrors: composed.errors, accessProblems, changes: [], brokenOperations: [], message: '' };
      if (composed.supergraphSdl === undefined || accessProblems.length) {
        report.message = composed.supergraphSdl === undefined ? 'refused: the supergraph does not compose' : 'refused: access tags the agency may not use';
        return report;
      }
      const before = await this.currentSupergraph(sql);
      report.changes = await diffSupergraphs(before, composed.supergraphSdl);
      // Only operations that work today count: one already broken must not block every later publish.
      const documents = await this.registeredDocuments(sql);
      const brokenBefore = new Set(checkRegisteredOperations(before, documents).map((b) => `${b.client}@${b.version}#${b.id}`));
      report.brokenOperations = checkRegisteredOperations(composed.supergraphSdl, documents).filter((b) => !brokenBefore.has(`${b.client}@${b.version}#${b.id}`));
      if (report.brokenOperations.length && !input.force) {
        const names = [...new Set(report.brokenOperations.map((b) => `${b.client} ${b.operationName ?? b.id}`))];
        report.message = `refused: the change would break ${names.length} registered operation(s): ${names.join(', ')}`;
        return report;
      }
      const now = new Date().toISOString();
      if ((await sql.all('select 1 from registry_schema_version limit 1')).length === 0) {
        // The first publish records what was served until now, so that rollback and the changelog start from it.
        for (const s of current.values()) {
          await sql.run(
            'insert into registry_schema_version (subgraph, version, action, sdl, routing_url, published_by, agency, published_at, reason, changes, broken, supergraph) values (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [s.name, 'baseline', s.sdl, s.url, 'repository', s.name, now, 'the committed supergraph', '[]', '[]', before],
          );
        }
      }
      const [{ v }] = await sql.all<{ v: number }>('select coalesce(max(version), 0) as v from registry_schema_version where subgraph = ?', [input.name]);
      const version = Number(v) + 1;
      await sql.run(
        'insert into registry_schema_version (subgraph, version, action, sdl, routing_url, published_by, agency, published_at, reason, changes, broken, supergraph) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [input.name, version, action, input.sdl, input.routingUrl, input.publishedBy, input.agency, now, input.reason ?? null, JSON.stringify(report.changes), JSON.stringify(report.brokenOperations), composed.supergraphSdl],
      );
      return {
        ...report,
        accepted: true,
        version,
        forced: report.brokenOperations.length > 0,
        message: `accepted: ${input.name} version ${version}${report.brokenOperations.length ? ` (forced: ${input.reason})` : ''}`,
      };
    });
  }

  /** Serves an earlier version of one subgraph again, through the same checks as a publish. */
  async rollbackSubgraph(input: { name: string; version: number; agency: string; publishedBy: string; reason?: string; force?: boolean }): Promise<SchemaPublishReport> {
    const [row] = await this.sql.all<SchemaRow>('select * from registry_schema_version where subgraph = ? and version = ?', [input.name, input.version]);
    if (!row) throw new RegistryError(`subgraph ${input.name} has no version ${input.version}`, 404);
    const reason = `rollback to version ${input.version}${input.reason ? `: ${input.reason}` : ''}`;
    return this.publishSubgraph({ name: input.name, agency: input.agency, sdl: row.sdl, routingUrl: row.routing_url, publishedBy: input.publishedBy, reason, force: input.force }, 'rollback');
  }

  async changelog(subgraph?: string): Promise<ChangelogEntry[]> {
    const rows = await this.sql.all<SchemaRow>(
      `select seq, subgraph, version, action, routing_url, published_by, agency, published_at, reason, changes, broken from registry_schema_version ${subgraph ? 'where subgraph = ?' : ''} order by seq`,
      subgraph ? [subgraph] : [],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      subgraph: r.subgraph,
      version: Number(r.version),
      action: r.action as ChangelogEntry['action'],
      routingUrl: r.routing_url,
      publishedBy: r.published_by,
      agency: r.agency,
      publishedAt: r.published_at,
      reason: r.reason,
      changes: JSON.parse(r.changes),
      brokenOperations: JSON.parse(r.broken),
    }));
  }

  /** One subgraph's SDL at a version (the current one without it). */
  async subgraphSdl(name: string, version?: number): Promise<string | null> {
    if (version === undefined) return (await this.currentSubgraphs(this.sql)).get(name)?.sdl ?? null;
    const [row] = await this.sql.all<{ sdl: string }>('select sdl from registry_schema_version where subgraph = ? and version = ?', [name, version]);
    return row?.sdl ?? null;
  }
}

function dedupe(documents: OperationDocument[]): OperationDocument[] {
  const seen = new Map<string, OperationDocument>();
  for (const d of documents) seen.set(d.id, d);
  return [...seen.values()];
}

/** The runtime view: which client may run which document, found by id or by its text. */
export class OperationIndex {
  private constructor(
    private readonly byId: Map<string, { body: string; clients: Set<string> }>,
    private readonly byText: Map<string, string>,
  ) {}

  static build(documents: RegisteredDocument[]): OperationIndex {
    const byId = new Map<string, { body: string; clients: Set<string> }>();
    const byText = new Map<string, string>();
    for (const d of documents) {
      const entry = byId.get(d.id) ?? { body: d.body, clients: new Set<string>() };
      entry.clients.add(d.client);
      byId.set(d.id, entry);
      try {
        byText.set(operationText(parse(d.body), d.operationName) ?? d.body, d.id);
      } catch {
        // stored documents parsed when registered; nothing to index otherwise
      }
    }
    return new OperationIndex(byId, byText);
  }

  body(id: string): string | null {
    return this.byId.get(id)?.body ?? null;
  }

  /** Whether `client` registered document `id`. */
  registeredFor(client: string | null, id: string): boolean {
    return client !== null && (this.byId.get(id)?.clients.has(client) ?? false);
  }

  /** The id of the registered document a request's text amounts to, if any. */
  idOfText(text: string | null): string | null {
    return text === null ? null : (this.byText.get(text) ?? null);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** Redis channel on which a replica announces a registry change to the others. */
export const REGISTRY_CHANNEL = 'pcmt:registry';
