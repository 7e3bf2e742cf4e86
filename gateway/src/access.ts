import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isObjectType,
  Kind,
  valueFromAST,
  parse,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Access rules travel in the subgraph schemas as `@tag`s, which composition keeps in the
 * supergraph (Apollo's @requiresScopes would make @apollo/gateway refuse the supergraph):
 *   scope:<scope>  who may read a field (on the field, else on its type); one matching scope suffices
 *   sensitive      sensitive personal data: purpose header required, every read audited
 *   pseudonym      an identifier replaced by a per-project pseudonym for pseudonymous callers
 *   small-cell     a count of persons suppressed under 5 for pseudonymous callers
 *   person         (on an input field) a citizen ID the write names: the audit entry names that person
 * A field with no scope tag (keys, reference data) is open to every authenticated caller.
 */
export interface FieldPolicy {
  scopes: string[];
  sensitive: boolean;
  pseudonym: boolean;
  smallCell: boolean;
}

const OPEN: FieldPolicy = { scopes: [], sensitive: false, pseudonym: false, smallCell: false };

export class AccessPolicy {
  private readonly fields = new Map<string, FieldPolicy>();
  /** `Input.field` coordinates of input fields that hold citizen IDs. */
  private readonly personInputs = new Set<string>();

  static fromSupergraph(sdl: string): AccessPolicy {
    const policy = new AccessPolicy();
    const typeTags = new Map<string, string[]>();
    const fieldTags = new Map<string, string[]>();
    const tagsOf = (directives: readonly any[] | undefined) =>
      (directives ?? [])
        .filter((d) => d.name.value === 'tag')
        .map((d) => d.arguments?.find((a: any) => a.name.value === 'name')?.value?.value as string)
        .filter(Boolean);
    for (const def of parse(sdl).definitions) {
      if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
        for (const f of def.fields ?? []) if (tagsOf(f.directives).includes('person')) policy.personInputs.add(`${def.name.value}.${f.name.value}`);
        continue;
      }
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      const type = def.name.value;
      typeTags.set(type, [...(typeTags.get(type) ?? []), ...tagsOf(def.directives)]);
      for (const f of def.fields ?? []) fieldTags.set(`${type}.${f.name.value}`, [...(fieldTags.get(`${type}.${f.name.value}`) ?? []), ...tagsOf(f.directives)]);
    }
    for (const [coordinate, tags] of fieldTags) {
      const type = coordinate.split('.')[0];
      const scopesOf = (t: string[]) => t.filter((x) => x.startsWith('scope:')).map((x) => x.slice(6));
      const own = scopesOf(tags);
      policy.fields.set(coordinate, {
        scopes: own.length ? own : scopesOf(typeTags.get(type) ?? []),
        sensitive: tags.includes('sensitive'),
        pseudonym: tags.includes('pseudonym'),
        smallCell: tags.includes('small-cell'),
      });
    }
    return policy;
  }

  field(type: string, field: string): FieldPolicy {
    return this.fields.get(`${type}.${field}`) ?? OPEN;
  }

  /** Whether this input field holds the citizen ID of a person the write names. */
  namesPerson(inputType: string, field: string): boolean {
    return this.personInputs.has(`${inputType}.${field}`);
  }

  static allows(policy: FieldPolicy, scopes: readonly string[]): boolean {
    return policy.scopes.length === 0 || policy.scopes.some((s) => scopes.includes(s));
  }

  /** Every tagged coordinate, for docs and tests. */
  entries(): Array<[string, FieldPolicy]> {
    return [...this.fields].sort(([a], [b]) => a.localeCompare(b));
  }
}

export type ResponsePath = string[];

export interface OperationAnalysis {
  forbidden: Array<{ path: ResponsePath; coordinate: string }>;
  sensitive: Set<string>;
  pseudonymPaths: ResponsePath[];
  smallCellPaths: ResponsePath[];
  /** Citizen IDs the operation's root arguments name (inputs tagged `person`): a write is audited under them, refused or not. */
  inputPersons: Set<string>;
  /** The document the gateway plans: forbidden fields removed, person keys added for the audit. */
  document: DocumentNode;
}

export const AUDIT_KEY_ALIAS = '__pcmt_cid';

/** How to learn which person an object is about: its own `citizenId`, or its `person { citizenId }`. */
function auditHook(type: GraphQLCompositeType): 'key' | 'person' | null {
  const fields = (type as any).getFields?.() ?? {};
  if (fields.citizenId && fields.citizenId.args.length === 0) return 'key';
  const person = fields.person;
  if (person && !person.args.some((a: any) => a.type.toString().endsWith('!')) && isObjectType(getNamedType(person.type)) && (getNamedType(person.type) as any).getFields().citizenId) return 'person';
  return null;
}
export const AUDIT_PERSON_ALIAS = '__pcmt_person';

/** The citizen IDs in an argument value, following the input types down to the fields tagged `person`. */
function personsIn(policy: AccessPolicy, value: unknown, type: GraphQLInputType, found: Set<string>, depth = 0): void {
  if (value == null || depth > 20) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    for (const item of Array.isArray(value) ? value : [value]) personsIn(policy, item, t.ofType, found, depth + 1);
    return;
  }
  if (!isInputObjectType(t) || typeof value !== 'object') return;
  const fields = t.getFields();
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[name];
    if (!field) continue;
    if (policy.namesPerson(t.name, name)) {
      for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'string' && id) found.add(id);
    } else personsIn(policy, v, field.type, found, depth + 1);
  }
}

/** Decides, before anything is fetched, which fields of the operation the caller may read. */
export function analyseOperation(
  schema: GraphQLSchema,
  policy: AccessPolicy,
  document: DocumentNode,
  operationName: string | null | undefined,
  scopes: readonly string[],
  variables: Record<string, unknown> = {},
): OperationAnalysis {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const result: OperationAnalysis = { forbidden: [], sensitive: new Set(), pseudonymPaths: [], smallCellPaths: [], inputPersons: new Set(), document };
  if (!operation) return result;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return result;

  const forbiddenNodes = new Set<FieldNode>();
  const auditSets = new Map<SelectionSetNode, 'key' | 'person'>();
  const seenFragments = new Set<string>();

  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, path: ResponsePath): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : parent;
        if (t) walk(sel.selectionSet, t, path);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments.get(sel.name.value);
        if (!frag || seenFragments.has(`${frag.name.value}@${path.join('.')}`)) continue;
        seenFragments.add(`${frag.name.value}@${path.join('.')}`);
        const t = schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType;
        if (t) walk(frag.selectionSet, t, path);
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__')) continue;
      const key = sel.alias?.value ?? name;
      const fieldDef = isObjectType(parent) || 'getFields' in parent ? (parent as any).getFields()[name] : undefined;
      if (!fieldDef) continue; // validation has already refused unknown fields
      const coordinate = `${parent.name}.${name}`;
      const p = policy.field(parent.name, name);
      const here = [...path, key];
      if (!AccessPolicy.allows(p, scopes)) {
        forbiddenNodes.add(sel);
        result.forbidden.push({ path: here, coordinate });
        continue;
      }
      // Whom a root field (a write) names in its arguments, read from the literal or the variables.
      if (parent === root) {
        for (const arg of sel.arguments ?? []) {
          const def = fieldDef.args.find((a: { name: string }) => a.name === arg.name.value);
          if (def) personsIn(policy, valueFromAST(arg.value, def.type, variables), def.type, result.inputPersons);
        }
      }
      if (p.sensitive) {
        result.sensitive.add(coordinate);
        // Whose record it is: the person holding the field (never on the root types).
        if (parent !== root) {
          const how = auditHook(parent);
          if (how) auditSets.set(set, how);
        }
      }
      if (p.pseudonym) result.pseudonymPaths.push(here);
      if (p.smallCell) result.smallCellPaths.push(here);
      const named = getNamedType(fieldDef.type);
      // ...and the persons a sensitive field returns, or whose records it returns.
      if (p.sensitive && sel.selectionSet && isObjectType(named)) {
        const how = auditHook(named);
        if (how) auditSets.set(sel.selectionSet, how);
      }
      if (sel.selectionSet && isCompositeType(named)) walk(sel.selectionSet, named, here);
    }
  };
  walk(operation.selectionSet, root, []);

  if (forbiddenNodes.size === 0 && auditSets.size === 0) return result;
  const keyField = (alias: string, name: string, selectionSet?: SelectionSetNode): FieldNode => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: name },
    selectionSet,
  });
  const personKey = keyField(AUDIT_KEY_ALIAS, 'citizenId');
  result.document = visit(document, {
    Field: {
      enter: (node) => (forbiddenNodes.has(node) ? null : undefined),
    },
    SelectionSet: {
      enter: (node) => {
        const audit = auditSets.get(node);
        if (!audit) return undefined;
        const extra = audit === 'key' ? personKey : keyField(AUDIT_PERSON_ALIAS, 'person', { kind: Kind.SELECTION_SET, selections: [personKey] });
        return { ...node, selections: [...node.selections, extra] };
      },
      // A selection set left empty by removals still needs one field to stay valid.
      leave: (node) =>
        node.selections.length === 0 ? { ...node, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] } : undefined,
    },
  });
  return result;
}

/** Applies `fn` at every place `path` reaches in `data`, through lists; gives the concrete paths. */
export function atPath(data: unknown, path: ResponsePath, fn: (holder: Record<string, unknown>, key: string, concrete: (string | number)[]) => void, prefix: (string | number)[] = []): void {
  if (data == null) return;
  if (Array.isArray(data)) {
    data.forEach((item, i) => atPath(item, path, fn, [...prefix, i]));
    return;
  }
  if (typeof data !== 'object') return;
  const [head, ...rest] = path;
  if (rest.length === 0) {
    fn(data as Record<string, unknown>, head, [...prefix, head]);
    return;
  }
  atPath((data as Record<string, unknown>)[head], rest, fn, [...prefix, head]);
}

/** Collects and removes the person keys added for the audit; returns the citizen IDs read. */
export function takeAuditKeys(data: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(data)) {
    for (const item of data) takeAuditKeys(item, found);
  } else if (data && typeof data === 'object') {
    const obj = data as Record<string, unknown>;
    if (typeof obj[AUDIT_KEY_ALIAS] === 'string') found.add(obj[AUDIT_KEY_ALIAS] as string);
    delete obj[AUDIT_KEY_ALIAS];
    for (const [k, v] of Object.entries(obj)) {
      takeAuditKeys(v, found);
      if (k === AUDIT_PERSON_ALIAS) delete obj[k];
    }
  }
  return found;
}
