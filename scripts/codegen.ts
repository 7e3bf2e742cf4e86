// npm run clients:generate — typed clients for every shipped operation set (graphql-codegen's client
// preset with persisted documents), written to clients/<client>/ and committed.
//
// Ids: a persisted document's id is the registry's id of the same operation, `sha256:<hex>` where hex is
// documentIdOf(operationText(...)) of the shipped file, so a client's `documentId` is found by the gateway.
// persisted-documents.json maps that id to the registered text itself (sha256(text) = hex), so it can
// also be published as it is (`npm run operations:publish -- --client <client> clients/<client>/persisted-documents.json`).
import { generate } from '@graphql-codegen/cli';
import { helpIfAsked } from './lib/cli.js';
import { preset as clientPreset } from '@graphql-codegen/client-preset';
import { apiSchemaOf, operationDocuments, REPO_ROOT, SHIPPED_CLIENTS, shippedClient, type OperationDocument } from '@pcmt/gateway/registry';
import { Kind, parse, print, printSchema, visit, type ASTNode, type OperationDefinitionNode } from 'graphql';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

helpIfAsked(`
npm run clients:generate — typed clients for every shipped operation set (graphql-codegen's client
preset with persisted documents), written to clients/<client>/ and committed.

Ids: a persisted document's id is the registry's id of the same operation, \`sha256:<hex>\` where hex is
documentIdOf(operationText(...)) of the shipped file, so a client's \`documentId\` is found by the gateway.
persisted-documents.json maps that id to the registered text itself (sha256(text) = hex), so it can
also be published as it is (\`npm run operations:publish -- --client <client> clients/<client>/persisted-documents.json\`).`);

export const CLIENTS_DIR = join(REPO_ROOT, 'clients');
const SUPERGRAPH = join(REPO_ROOT, 'schema', 'supergraph.graphql');
const MANIFEST = 'persisted-documents.json';

/** Generated files: client → file name in clients/<client>/ → content. */
export type ClientFiles = Map<string, Map<string, string>>;

// The preset hands the hash function its own print of the operation, with selections, arguments and
// variables sorted by name (not the ids' text); comparing both sides sorted tells it is the registry's operation.
const byText = (a: ASTNode, b: ASTNode) => {
  const x = print(a);
  const y = print(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
const LISTS = ['definitions', 'selections', 'variableDefinitions', 'arguments', 'directives', 'fields'] as const;
function sortedText(text: string): string {
  return print(
    visit(parse(text), {
      leave(node) {
        const copy: any = { ...node };
        for (const key of LISTS) if (Array.isArray(copy[key])) copy[key] = [...copy[key]].sort(byText);
        return copy;
      },
    }),
  );
}

/** The registry's id of the operation the preset printed, refusing one the registry would not know. */
function registryHash(client: string, documents: Map<string, OperationDocument>) {
  return (operation: string): string => {
    const op = parse(operation).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const doc = documents.get(op?.name?.value ?? '');
    if (!doc || sortedText(doc.body) !== sortedText(operation)) {
      throw new Error(`${client}: codegen's operation ${op?.name?.value ?? '(anonymous)'} is not one the registry holds for this client`);
    }
    return `sha256:${doc.id}`;
  };
}

/** Every shipped client's generated files, in memory (nothing is written). */
export async function generateClients(supergraphSdl = readFileSync(SUPERGRAPH, 'utf8')): Promise<ClientFiles> {
  const schema = printSchema(apiSchemaOf(supergraphSdl));
  const clients = SHIPPED_CLIENTS.map((entry) => {
    const shipped = shippedClient(entry);
    const documents = new Map(shipped.sources.flatMap((s) => operationDocuments(s.body)).map((d) => [d.operationName!, d]));
    return { ...shipped, documents };
  }).filter((c) => c.files.length > 0);

  const generates: Record<string, any> = {};
  for (const c of clients) {
    generates[`clients/${c.client}/`] = {
      preset: clientPreset,
      documents: c.files,
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: registryHash(c.client, c.documents) },
      },
    };
  }
  const outputs: Array<{ filename: string; content: string }> = await generate(
    {
      cwd: REPO_ROOT,
      schema,
      generates,
      silent: true,
      // Relative imports need their extension under NodeNext.
      importExtension: '.js',
      // LocalDate is a YYYY-MM-DD string.
      config: { useTypeImports: true, scalars: { LocalDate: 'string' }, defaultScalarType: 'unknown' },
    },
    false,
  );

  const out: ClientFiles = new Map(clients.map((c) => [c.client, new Map<string, string>()]));
  for (const { filename, content } of outputs) {
    const [dir, client, name, ...rest] = relative(REPO_ROOT, join(REPO_ROOT, filename)).split(/[\\/]/);
    const files = out.get(client);
    if (dir !== 'clients' || !files || !name || rest.length) throw new Error(`codegen wrote an unexpected file ${filename}`);
    const source = clients.find((c) => c.client === client)!;
    if (name === MANIFEST) {
      // The registered text instead of the preset's sorted print: then sha256(text) is the id.
      const byId = new Map([...source.documents.values()].map((d) => [`sha256:${d.id}`, d.body]));
      const manifest = Object.fromEntries(Object.keys(JSON.parse(content) as Record<string, string>).map((id) => [id, byId.get(id)!]));
      if (Object.keys(manifest).length !== byId.size) throw new Error(`${client}: codegen persisted ${Object.keys(manifest).length} of ${byId.size} shipped operations`);
      files.set(name, JSON.stringify(manifest, null, 2) + '\n');
    } else {
      const header = `// Generated by npm run clients:generate from ${SHIPPED_CLIENTS.find((e) => e.client === client)!.dir}/*.graphql; do not edit.\n`;
      files.set(name, header + content.replace(/\n*$/, '\n'));
    }
  }
  return out;
}

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

/** The clients whose committed files differ from what generation gives now. */
export async function staleClients(): Promise<string[]> {
  let generated: ClientFiles;
  try {
    generated = await generateClients();
  } catch (err) {
    // An operation that no longer validates is reported by the shipped-operations check too.
    return [`clients/ cannot be generated: ${(err as Error).message}`];
  }
  const problems: string[] = [];
  const names = new Set([...generated.keys(), ...filesIn(CLIENTS_DIR).filter((n) => SHIPPED_CLIENTS.some((e) => e.client === n))]);
  for (const client of [...names].sort()) {
    const want = generated.get(client) ?? new Map<string, string>();
    const dir = join(CLIENTS_DIR, client);
    const have = filesIn(dir);
    const same = have.length === want.size && have.every((f) => want.get(f) === readFileSync(join(dir, f), 'utf8'));
    if (!same) problems.push(`clients/${client} is stale: run npm run clients:generate and commit`);
  }
  return problems;
}

export async function writeClients(): Promise<ClientFiles> {
  const generated = await generateClients();
  for (const entry of SHIPPED_CLIENTS) {
    const dir = join(CLIENTS_DIR, entry.client);
    const files = generated.get(entry.client);
    // A client that ships no operations (any more) has no generated client either.
    if (!files) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    mkdirSync(dir, { recursive: true });
    for (const f of filesIn(dir)) if (!files.has(f)) rmSync(join(dir, f), { recursive: true });
    for (const [name, content] of files) writeFileSync(join(dir, name), content);
  }
  return generated;
}

if (import.meta.main) {
  const written = await writeClients();
  for (const [client, files] of written) {
    const ids = Object.keys(JSON.parse(files.get(MANIFEST) ?? '{}')).length;
    console.log(`clients/${client}/: ${[...files.keys()].join(', ')} (${ids} persisted operations)`);
  }
}
