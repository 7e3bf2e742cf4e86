// The registry from the command line: check and publish client operations, publish a subgraph's
// schema, roll one back, read the changelog. Works on the registry database directly (the gateway's
// configuration: PCMT_DATA_DIR, REGISTRY_DATABASE_URL / AUDIT_DATABASE_URL), or, with --gateway and a
// publisher token, through a running gateway's /registry endpoints.
//
//   npm run operations:check  [-- --client police-app <files…>]
//   npm run operations:list   [-- police-app]
//   npm run operations:publish -- --client police-app [--agency police] [--version 2] <files.graphql|persisted-documents.json…>
//   npm run schema:publish -- <subgraph> --sdl <file|url> --routing-url <url> [--reason "…"] [--force]
//   npm run schema:rollback -- <subgraph> <version> [--reason "…"] [--force]
//   npm run schema:changelog [-- <subgraph>]
// Light modules only (not @pcmt/gateway's index or lib/schema.ts, which load the whole graph).
import { loadGatewayConfig } from '@pcmt/gateway/config';
import { AGENCIES, agencyScopes } from '@pcmt/gateway/roles';
import { checkClientDocuments, openSql, operationDocuments, readBaseline, Registry, REGISTRY_CHANNEL, SHIPPED_CLIENTS, shippedClient, type ClientPublishReport, type SchemaPublishReport } from '@pcmt/gateway/registry';
import { DEV_IDENTITY_SECRET, signSubgraphRequest } from '@pcmt/kit/identity';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createClient } from 'redis';
import { SUPERGRAPH_PATH } from './lib/paths.js';
import { helpIfAsked, parseArgsOrFail } from './lib/cli.js';

helpIfAsked(`
The schema registry and the client operations it allows.

  npm run operations:check  [-- --client police-app <files…>]    check documents against the current graph and the client's rights
  npm run operations:list   [-- police-app]                         list clients, versions and documents
  npm run operations:publish -- --client police-app [--agency police] [--version 2] <files.graphql|persisted-documents.json…>
  npm run schema:publish -- <subgraph> --sdl <file|url> --routing-url <url> [--reason "…"] [--force]
  npm run schema:rollback -- <subgraph> <version> [--reason "…"] [--force]
  npm run schema:changelog [-- <subgraph>]

Through a running gateway: add --gateway <url> --token <publisher token> (npm run tokens -- --role publisher --agency <agency>).
--json prints the report as JSON.`);
const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgsOrFail({
  args: rest,
  allowPositionals: true,
  options: {
    client: { type: 'string' },
    agency: { type: 'string' },
    version: { type: 'string' },
    sdl: { type: 'string' },
    'routing-url': { type: 'string' },
    reason: { type: 'string' },
    force: { type: 'boolean', default: false },
    by: { type: 'string' },
    gateway: { type: 'string' },
    token: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

/** The agency that owns a subgraph name (`customs-postal` is customs'), for publishing from the registry's own machine. */
const agencyOf = (name: string) => values.agency ?? [...AGENCIES].sort((a, b) => b.length - a.length).find((a) => name === a || name.startsWith(`${a}-`)) ?? name;

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

/** Source texts of .graphql files, or the { id: text } map graphql-codegen writes for persisted documents. */
function readDocuments(files: string[]): Array<{ body: string; id?: string }> {
  return files.flatMap((file) => {
    if (!existsSync(file)) fail(`no such file: ${file}`);
    const text = readFileSync(file, 'utf8');
    if (!file.endsWith('.json')) return [{ body: text }];
    return Object.entries(JSON.parse(text) as Record<string, string>).map(([id, body]) => ({ id: id.replace(/^sha256:/, ''), body }));
  });
}

async function openRegistry(): Promise<Registry> {
  const config = loadGatewayConfig({ ...process.env, SUPERGRAPH_PATH: process.env.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH });
  return Registry.open(openSql(config.registry), () => readBaseline(config.supergraphPath));
}

/** Tells running gateways at once (they would find the change at their next poll anyway). */
async function notify(registry: Registry): Promise<void> {
  if (!process.env.REDIS_URL) return;
  const redis = createClient({ url: process.env.REDIS_URL });
  try {
    await redis.connect();
    await redis.publish(REGISTRY_CHANNEL, await registry.revision());
  } catch {
    // polling picks it up
  } finally {
    await redis.quit().catch(() => {});
  }
}

async function overHttp(path: string, body: unknown): Promise<{ status: number; report: any }> {
  const token = values.token ?? process.env.PCMT_PUBLISHER_TOKEN ?? fail('--gateway needs a publisher token: --token or PCMT_PUBLISHER_TOKEN');
  const base = values.gateway!.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
  const res = await fetch(`${base}/registry${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, report: await res.json() };
}

function printSchemaReport(report: SchemaPublishReport): void {
  if (values.json) return void console.log(JSON.stringify(report, null, 2));
  console.log(report.message);
  for (const e of report.compositionErrors ?? []) console.log(`  composition: ${e}`);
  for (const p of report.accessProblems ?? []) console.log(`  access: ${p}`);
  for (const c of report.changes ?? []) console.log(`  ${c.criticality.padEnd(9)} ${c.message}`);
  for (const b of report.brokenOperations ?? []) console.log(`  breaks ${b.client}@${b.version} ${b.operationName ?? b.id}: ${b.errors.join('; ')}`);
}

function printClientReport(report: ClientPublishReport): void {
  if (values.json) return void console.log(JSON.stringify(report, null, 2));
  console.log(report.message);
  for (const p of report.problems ?? []) console.log(`  ${p.operationName ?? p.id}: ${p.problems.join('; ')}`);
  if (report.accepted) for (const d of report.documents) console.log(`  sha256:${d.id}  ${d.operationName ?? ''}`);
}

/** The SDL to publish: a file, or a running subgraph's `_service { sdl }` (asked with a call signed for that subgraph). */
async function readSdl(source: string, subgraph: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) {
    if (!existsSync(source)) fail(`no such file: ${source}`);
    return readFileSync(source, 'utf8');
  }
  const body = JSON.stringify({ query: '{ _service { sdl } }' });
  const identity = signSubgraphRequest(
    { sub: 'schema-publish', agency: 'program', roles: [], scopes: [], communes: [], province: null, project: null, purpose: null, requestId: `publish-${Date.now()}` },
    { audience: subgraph, body },
    process.env.PCMT_IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
  );
  const res = await fetch(source, { method: 'POST', headers: { 'content-type': 'application/json', ...identity }, body });
  const answer = (await res.json().catch(() => null)) as any;
  return answer?.data?._service?.sdl ?? fail(`${source} did not answer _service { sdl } (HTTP ${res.status})`);
}

async function main(): Promise<number> {
  switch (command) {
    case 'operations-check': {
      const supergraph = readFileSync(process.env.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH, 'utf8');
      const sets = values.client
        ? [{ client: values.client, agency: values.agency ?? SHIPPED_CLIENTS.find((c) => c.client === values.client)?.agency ?? fail('--agency is needed for a client this repository does not ship'), sources: readDocuments(positionals) }]
        : SHIPPED_CLIENTS.map((c) => shippedClient(c));
      let problems = 0;
      for (const set of sets) {
        const documents = set.sources.flatMap((s) => operationDocuments(s.body, s.id));
        const found = checkClientDocuments(supergraph, documents, agencyScopes(set.agency));
        const names = documents.map((d) => d.operationName);
        const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
        for (const n of twice) console.log(`${set.client} ${n}: operation name used twice`);
        for (const p of found) console.log(`${set.client} ${p.operationName ?? p.id}: ${p.problems.join('; ')}`);
        problems += found.length + twice.length;
        console.log(`${set.client}: ${documents.length} operations, ${found.length + twice.length} with problems`);
      }
      return problems ? 1 : 0;
    }
    case 'operations-list': {
      // The ids a client application sends: one line per shipped operation.
      const wanted = positionals[0];
      for (const entry of SHIPPED_CLIENTS.filter((c) => !wanted || c.client === wanted)) {
        for (const source of shippedClient(entry).sources) for (const d of operationDocuments(source.body)) console.log(`sha256:${d.id}  ${d.operationName}  ${entry.client}`);
      }
      return 0;
    }
    case 'operations-publish': {
      const client = values.client ?? fail('--client is required');
      const documents = readDocuments(positionals);
      if (documents.length === 0) fail('name the .graphql or persisted-documents .json files to publish');
      if (values.gateway) {
        const { status, report } = await overHttp(`/clients/${client}`, { version: values.version, documents });
        if (report.error) fail(`refused (${status}): ${report.error}`);
        printClientReport(report);
        return report.accepted ? 0 : 1;
      }
      const agency = values.agency ?? SHIPPED_CLIENTS.find((c) => c.client === client)?.agency ?? fail('--agency is needed for a client this repository does not ship');
      const registry = await openRegistry();
      try {
        const report = await registry.publishClient({ client, agency, version: values.version, documents, publishedBy: values.by ?? userInfo().username });
        printClientReport(report);
        if (report.accepted && !report.unchanged) await notify(registry);
        return report.accepted ? 0 : 1;
      } finally {
        await registry.close();
      }
    }
    case 'schema-publish': {
      const name = positionals[0] ?? fail('name the subgraph: npm run schema:publish -- <subgraph> --sdl <file|url> --routing-url <url>');
      const sdl = await readSdl(values.sdl ?? fail('--sdl <file|url> is required'), name);
      const routingUrl = values['routing-url'] ?? fail('--routing-url is required');
      if (values.gateway) {
        const { status, report } = await overHttp(`/subgraphs/${name}`, { sdl, routingUrl, reason: values.reason, force: values.force });
        if (report.error) fail(`refused (${status}): ${report.error}`);
        printSchemaReport(report);
        return report.accepted ? 0 : 1;
      }
      const registry = await openRegistry();
      try {
        const report = await registry.publishSubgraph({ name, agency: agencyOf(name), sdl, routingUrl, reason: values.reason, force: values.force, publishedBy: values.by ?? userInfo().username });
        printSchemaReport(report);
        if (report.accepted && !report.unchanged) await notify(registry);
        return report.accepted ? 0 : 1;
      } finally {
        await registry.close();
      }
    }
    case 'schema-rollback': {
      const [name, v] = positionals;
      if (!name || !/^\d+$/.test(v ?? '')) fail('usage: npm run schema:rollback -- <subgraph> <version> [--reason "…"] [--force]');
      if (values.gateway) {
        const { status, report } = await overHttp(`/subgraphs/${name}/rollback`, { version: Number(v), reason: values.reason, force: values.force });
        if (report.error) fail(`refused (${status}): ${report.error}`);
        printSchemaReport(report);
        return report.accepted ? 0 : 1;
      }
      const registry = await openRegistry();
      try {
        const report = await registry.rollbackSubgraph({ name, version: Number(v), agency: agencyOf(name), reason: values.reason, force: values.force, publishedBy: values.by ?? userInfo().username });
        printSchemaReport(report);
        if (report.accepted) await notify(registry);
        return report.accepted ? 0 : 1;
      } finally {
        await registry.close();
      }
    }
    case 'schema-changelog': {
      const registry = await openRegistry();
      try {
        const entries = await registry.changelog(positionals[0]);
        if (values.json) console.log(JSON.stringify(entries, null, 2));
        else if (entries.length === 0) console.log('nothing published yet: the committed supergraph is served');
        for (const e of values.json ? [] : entries) {
          console.log(`#${e.seq} ${e.publishedAt} ${e.subgraph} v${e.version} ${e.action} by ${e.publishedBy} (${e.agency})${e.reason ? ` — ${e.reason}` : ''}`);
          for (const c of e.changes) console.log(`    ${c.criticality.padEnd(9)} ${c.message}`);
          for (const b of e.brokenOperations) console.log(`    forced past ${b.client}@${b.version} ${b.operationName ?? b.id}`);
        }
        return 0;
      } finally {
        await registry.close();
      }
    }
    default:
      return fail(`unknown command "${command ?? ''}": operations-check, operations-list, operations-publish, schema-publish, schema-rollback, schema-changelog`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
