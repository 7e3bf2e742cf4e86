import { Kind, parse, print, validate, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { createHash } from 'node:crypto';
import { AccessPolicy, analyseOperation } from '../access.js';
import { apiSchemaOf } from './checks.js';

/** One registered operation (a trusted document): its id is the sha256 of its text. */
export interface OperationDocument {
  id: string;
  operationName: string | null;
  body: string;
}

export const documentIdOf = (body: string): string => createHash('sha256').update(body).digest('hex');

/** `sha256:<hex>` (GraphQL over HTTP's persisted documents) or a bare hex hash (Apollo's APQ). */
export function parseDocumentId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(?:sha256:)?([0-9a-f]{64})$/.exec(value);
  return m ? m[1] : null;
}

const printed = new WeakMap<DocumentNode, Map<string, string | null>>();

/**
 * The operation `operationName` picks (or the only one), with just the fragments it uses, printed.
 * Apollo keeps one parsed document per query text, so each is printed once (0.4 ms a dashboard request).
 */
export function operationText(document: DocumentNode, operationName?: string | null): string | null {
  let byName = printed.get(document);
  if (!byName) printed.set(document, (byName = new Map()));
  const name = operationName ?? '';
  if (!byName.has(name)) byName.set(name, printOperation(document, operationName));
  return byName.get(name)!;
}

function printOperation(document: DocumentNode, operationName?: string | null): string | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((d) => d.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return null;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const used = new Set<string>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread: (spread) => {
        if (used.has(spread.name.value)) return;
        used.add(spread.name.value);
        const f = fragments.get(spread.name.value);
        if (f) collect(f);
      },
    });
  collect(operation);
  // Fragments in name order, so the same operation prints the same wherever its fragments stood.
  const definitions = [operation, ...[...used].sort().flatMap((n) => (fragments.has(n) ? [fragments.get(n)!] : []))];
  return print({ kind: Kind.DOCUMENT, definitions });
}

/**
 * The documents of a source file (or a client's generated list): one per named operation, with the
 * fragments it uses. A text that is already one operation keeps its own text and id, so ids a client
 * computed (graphql-codegen's persisted documents) stay valid.
 */
export function operationDocuments(source: string, givenId?: string): OperationDocument[] {
  const document = parse(source);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (givenId !== undefined) {
    if (givenId !== documentIdOf(source)) throw new Error(`document id ${givenId} is not the sha256 of its text`);
    if (operations.length !== 1) throw new Error(`document ${givenId} must hold exactly one operation`);
    return [{ id: givenId, operationName: operations[0].name?.value ?? null, body: source }];
  }
  return operations.map((op) => {
    if (!op.name) throw new Error('every registered operation needs a name');
    const body = operationText(document, op.name.value)!;
    return { id: documentIdOf(body), operationName: op.name.value, body };
  });
}

export interface DocumentProblem {
  id: string;
  operationName: string | null;
  problems: string[];
}

/**
 * What keeps a client's documents from being registered: they do not validate against the
 * supergraph, or they read a field that no role of the client's agency may read.
 */
export function checkClientDocuments(supergraphSdl: string, documents: OperationDocument[], allowedScopes: readonly string[]): DocumentProblem[] {
  const schema = apiSchemaOf(supergraphSdl);
  const policy = AccessPolicy.fromSupergraph(supergraphSdl);
  const out: DocumentProblem[] = [];
  for (const doc of documents) {
    const problems: string[] = [];
    let parsed: DocumentNode | null = null;
    try {
      parsed = parse(doc.body);
    } catch (err) {
      problems.push(`does not parse: ${(err as Error).message}`);
    }
    if (parsed) {
      problems.push(...validate(schema, parsed).map((e) => e.message));
      if (problems.length === 0) {
        for (const f of analyseOperation(schema, policy, parsed, doc.operationName, allowedScopes).forbidden) {
          problems.push(`reads ${f.coordinate} (at ${f.path.join('.')}), which no role of this agency may read`);
        }
      }
    }
    if (problems.length) out.push({ id: doc.id, operationName: doc.operationName, problems });
  }
  return out;
}
