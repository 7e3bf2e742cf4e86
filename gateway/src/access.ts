import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
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
import { accessTags, requiredScopes, tagNames, type AccessTags } from '@pcmt/kit/access-tags';

/**
 * Access rules travel in the subgraph schemas as `@tag`s, which composition keeps in the
 * supergraph (Apollo's @requiresScopes would make @apollo/gateway refuse the supergraph). Their
 * vocabulary and parser are the kit's (`@pcmt/kit/access-tags`), shared with the subgraphs, which
 * check the same scopes again: scope:<scope>, sensitive, pseudonym, small-cell, person.
 * A field with no scope tag (keys, reference data) is open to every authenticated caller.
 */
/** What the gateway needs of a field's tags: the scopes it needs (its own, else its type's) and its flags. */
export type FieldPolicy = Omit<AccessTags, 'person' | 'personOf'>;

const OPEN: FieldPolicy = { scopes: [], sensitive: false, pseudonym: false, smallCell: false };

export class AccessPolicy {
  private readonly fields = new Map<string, FieldPolicy>();
  /** `Input.field` coordinates of input fields that hold citizen IDs. */
  private readonly personInputs = new Set<string>();
  /** `Type.field(arg)` coordinates of field arguments that select a person by citizen ID. */
  private readonly personArgs = new Set<string>();
  /** `Input.field` → the query field that reads the record whose id it holds (`person-of:`). */
  private readonly recordInputs = new Map<string, string>();

  static fromSupergraph(sdl: string): AccessPolicy {
    const policy = new AccessPolicy();
    const typeTags = new Map<string, string[]>();
    const fieldTags = new Map<string, string[]>();
    for (const def of parse(sdl).definitions) {
      if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
        for (const f of def.fields ?? []) {
          const tags = accessTags(tagNames(f.directives));
          if (tags.person) policy.personInputs.add(`${def.name.value}.${f.name.value}`);
          if (tags.personOf) policy.recordInputs.set(`${def.name.value}.${f.name.value}`, tags.personOf);
        }
        continue;
      }
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      const type = def.name.value;
      typeTags.set(type, [...(typeTags.get(type) ?? []), ...tagNames(def.directives)]);
      for (const f of def.fields ?? []) {
        fieldTags.set(`${type}.${f.name.value}`, [...(fieldTags.get(`${type}.${f.name.value}`) ?? []), ...tagNames(f.directives)]);
        for (const a of f.arguments ?? []) if (accessTags(tagNames(a.directives)).person) policy.personArgs.add(`${type}.${f.name.value}(${a.name.value})`);
      }
    }
    for (const [coordinate, tags] of fieldTags) {
      const type = coordinate.split('.')[0];
      const { scopes, sensitive, pseudonym, smallCell } = accessTags(tags);
      policy.fields.set(coordinate, {
        scopes: requiredScopes(scopes, accessTags(typeTags.get(type) ?? []).scopes),
        sensitive,
        pseudonym,
        smallCell,
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

  /** The query field reading the record whose id this input field holds (`methadoneEnrollment`), if it names a person so. */
  recordOf(inputType: string, field: string): string | null {
    return this.recordInputs.get(`${inputType}.${field}`) ?? null;
  }

  /** Whether this argument of a field selects a person by citizen ID (`urineTests(citizenId:)`). */
  selectsPerson(type: string, field: string, arg: string): boolean {
    return this.personArgs.has(`${type}.${field}(${arg})`);
  }

  /** Every argument tagged `person`, for tests. */
  personArguments(): string[] {
    return [...this.personArgs].sort();
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
  /**
   * Citizen IDs the operation names in the arguments of fields that read or write sensitive data
   * (input fields and arguments tagged `person`): a write is audited under them, refused or not, and
   * a read names them even when the answer holds nothing about them.
   */
  inputPersons: Set<string>;
  /** Ids of records about persons that a write's input names (query field → ids): `recordPersonsQuery` finds their persons. */
  inputRecords: Map<string, Set<string>>;
  /** The document the gateway plans: forbidden fields removed, person keys added for the audit. */
  document: DocumentNode;
  /**
   * Person keys the caller selected itself, read where they are instead of adding hidden ones
   * (`items { citizenId fullName }` needs no `__pcmt_cid`): the path to the objects, then the
   * response keys down to the citizen ID.
   */
  auditReads: Array<{ path: ResponsePath; keys: string[] }>;
  /** Whether hidden person keys were added to `document` (then the answer is searched for them). */
  auditKeysAdded: boolean;
}

export const AUDIT_KEY_ALIAS = '__pcmt_cid';

/**
 * How to learn which persons an object is about: the path of fields to a `citizenId` — `[]` for its
 * own, `['person']`, a seizure's list of `['suspects']`, a dose's `['enrollment', 'person']`; the
 * shortest, `person` first; null when none within two steps. A list only as the last step (persons
 * themselves), or as a record's own links to its persons (a case's `suspects`: no arguments, items
 * with no `id` of their own); a list of records on the way (a commune's enrolments, a page) would
 * name persons not read.
 * Only fields the caller may read: the subgraphs check the same tags again and would refuse the rest.
 */
export type AuditHook = string[];
const isKey = (f: any) => !!f && f.args.length === 0 && isScalarType(getNamedType(f.type));
export function auditHook(type: GraphQLCompositeType, policy: AccessPolicy, scopes: readonly string[], depth = 2, cameFrom?: GraphQLCompositeType): AuditHook | null {
  const fields: Record<string, any> = (type as any).getFields?.() ?? {};
  const mayRead = (t: string, f: string) => AccessPolicy.allows(policy.field(t, f), scopes);
  if (isKey(fields.citizenId)) return mayRead(type.name, 'citizenId') ? [] : null;
  if (depth === 0) return null;
  let best: AuditHook | null = null;
  const candidates = Object.values(fields).sort((x, y) => Number(y.name === 'person') - Number(x.name === 'person'));
  for (const f of candidates) {
    const target = getNamedType(f.type);
    // Not back up to the record it was reached from (an item's seizure): that one is accounted for.
    if (!isObjectType(target) || target === type || target === cameFrom || !mayRead(type.name, f.name)) continue;
    // Arguments must all be optional or defaulted (a page of suspects: the first 50).
    if (f.args.some((x: any) => isNonNullType(x.type) && x.defaultValue === undefined)) continue;
    const rest = auditHook(target, policy, scopes, depth - 1);
    const links = f.args.length === 0 && !(target.getFields() as Record<string, unknown>).id;
    if (rest?.length && isListType(getNullableType(f.type)) && !links) continue;
    if (rest && (!best || rest.length + 1 < best.length)) best = [f.name, ...rest];
    if (best?.length === 1) break;
  }
  return best;
}
export const AUDIT_PERSON_ALIAS = '__pcmt_person';

/** The citizen IDs in an argument value, following the input types down to the fields tagged `person`. */
function personsIn(policy: AccessPolicy, value: unknown, type: GraphQLInputType, found: Set<string>, records: Map<string, Set<string>>, depth = 0): void {
  if (value == null || depth > 20) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    for (const item of Array.isArray(value) ? value : [value]) personsIn(policy, item, t.ofType, found, records, depth + 1);
    return;
  }
  if (!isInputObjectType(t) || typeof value !== 'object') return;
  const fields = t.getFields();
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[name];
    if (!field) continue;
    const record = policy.recordOf(t.name, name);
    if (policy.namesPerson(t.name, name)) {
      for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'string' && id) found.add(id);
    } else if (record) {
      for (const id of Array.isArray(v) ? v : [v]) if ((typeof id === 'string' && id) || typeof id === 'number') records.set(record, (records.get(record) ?? new Set()).add(String(id)));
    } else personsIn(policy, v, field.type, found, records, depth + 1);
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
  const result: OperationAnalysis = { forbidden: [], sensitive: new Set(), pseudonymPaths: [], smallCellPaths: [], inputPersons: new Set(), inputRecords: new Map(), document, auditReads: [], auditKeysAdded: false };
  if (!operation) return result;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return result;

  const forbiddenNodes = new Set<FieldNode>();
  const auditSets = new Map<SelectionSetNode, AuditHook>();
  /** Where in the answer each audited selection set's objects are (a fragment can be spread at several places). */
  const auditPaths = new Map<SelectionSetNode, Map<string, ResponsePath>>();
  /**
   * Audited sets walked at least once where not every object at the path holds their fields (a
   * fragment on another type, or under `@skip`/`@include`): the caller's own key there is not relied on.
   */
  const partialSets = new Set<SelectionSetNode>();
  const audit = (set: SelectionSetNode, how: AuditHook, path: ResponsePath, whole: boolean) => {
    auditSets.set(set, how);
    if (!whole) partialSets.add(set);
    const paths = auditPaths.get(set) ?? new Map<string, ResponsePath>();
    paths.set(JSON.stringify(path), path);
    auditPaths.set(set, paths);
  };
  const seenFragments = new Set<string>();

  const isWrite = operation.operation === 'mutation';
  /**
   * `inSensitive`: inside a sensitive field's answer, where every object that can say whom it is
   * about does (a page's items, a case's suspects), selected or not. Answers whether the selection
   * reads anything sensitive, so that a field's arguments count only when they lead to such data.
   */
  // `whole`: every object at `path` holds this set's fields (a field's own set, or a fragment on the same type, without directives).
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, path: ResponsePath, inSensitive: boolean, whole = true): boolean => {
    let touched = false;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : parent;
        const same = !sel.directives?.length && (!sel.typeCondition || sel.typeCondition.name.value === parent.name);
        if (t && walk(sel.selectionSet, t, path, inSensitive, whole && same)) touched = true;
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments.get(sel.name.value);
        if (!frag || seenFragments.has(`${frag.name.value}@${path.join('.')}`)) continue;
        seenFragments.add(`${frag.name.value}@${path.join('.')}`);
        const t = schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType;
        const same = !sel.directives?.length && frag.typeCondition.name.value === parent.name;
        if (t && walk(frag.selectionSet, t, path, inSensitive, whole && same)) touched = true;
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
      if (p.sensitive) {
        result.sensitive.add(coordinate);
        // Whose record it is: the person holding the field (never on the root types).
        if (parent !== root) {
          const how = auditHook(parent, policy, scopes);
          if (how) audit(set, how, path, whole);
        }
      }
      if (p.pseudonym) result.pseudonymPaths.push(here);
      if (p.smallCell) result.smallCellPaths.push(here);
      const named = getNamedType(fieldDef.type);
      const sensitiveBelow = inSensitive || p.sensitive;
      let childTouched = false;
      if (sel.selectionSet && isCompositeType(named)) {
        // ...and the persons a sensitive field returns, or whose records it returns, at every depth;
        // except a person's own records (`Person.managementFiles`): the person's key already names them.
        const ownRecords = auditSets.get(set)?.length === 0;
        if (sensitiveBelow && isObjectType(named)) {
          const how = auditHook(named, policy, scopes, 2, parent);
          if (how && !(ownRecords && how.length > 0)) audit(sel.selectionSet, how, here, true);
        }
        childTouched = walk(sel.selectionSet, named, here, sensitiveBelow);
      }
      const fieldTouched = p.sensitive || inSensitive || childTouched;
      if (fieldTouched) touched = true;
      // Whom the field's arguments name: a write's input, a read's `citizenId:` (literal or variable).
      if (fieldTouched || (isWrite && parent === root)) {
        for (const arg of sel.arguments ?? []) {
          const def = fieldDef.args.find((x: { name: string }) => x.name === arg.name.value);
          if (!def) continue;
          const value = valueFromAST(arg.value, def.type, variables);
          if (policy.selectsPerson(parent.name, name, def.name)) {
            for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string' && id) result.inputPersons.add(id);
          } else personsIn(policy, value, def.type, result.inputPersons, result.inputRecords);
        }
      }
    }
    return touched;
  };
  walk(operation.selectionSet, root, [], false);

  // Hidden keys only where the answer would not already say whom it is about.
  const added = new Map<SelectionSetNode, AuditHook>();
  for (const [set, how] of auditSets) {
    const selected = partialSets.has(set) ? null : selectedKey(set, how);
    if (selected) {
      // The caller's own `citizenId` (or `person { citizenId }`): read there, nothing added.
      for (const path of auditPaths.get(set)!.values()) result.auditReads.push({ path, keys: selected });
    } else if (!keyedBelow(set, how, auditSets, auditPaths)) added.set(set, how);
  }
  result.auditKeysAdded = added.size > 0;

  if (forbiddenNodes.size === 0 && added.size === 0) return result;
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
        const audit = added.get(node);
        if (!audit) return undefined;
        // `person { citizenId }`, or longer: `suspects { person { citizenId } }`, each step aliased.
        const extra = audit.reduceRight<FieldNode>((inner, step) => keyField(AUDIT_PERSON_ALIAS, step, { kind: Kind.SELECTION_SET, selections: [inner] }), personKey);
        return { ...node, selections: [...node.selections, extra] };
      },
      // A selection set left empty by removals still needs one field to stay valid.
      leave: (node) =>
        node.selections.length === 0 ? { ...node, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] } : undefined,
    },
  });
  return result;
}

/** A field always in the answer as asked: no arguments, no `@skip`/`@include` or other directive. */
const plainField = (set: SelectionSetNode, name: string): FieldNode | undefined =>
  set.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === name && !s.arguments?.length && !s.directives?.length);

/**
 * The response keys by which the caller's own selection already reaches the citizen ID along `how`
 * (`citizenId`, or `person { citizenId }`, whatever their aliases), or null. Only fields selected
 * directly in the set (the caller makes sure every object at the path holds them).
 */
function selectedKey(set: SelectionSetNode, how: AuditHook): string[] | null {
  const [step, ...rest] = how;
  const field = plainField(set, step ?? 'citizenId');
  if (!field) return null;
  const key = field.alias?.value ?? field.name.value;
  if (step === undefined) return field.selectionSet ? null : [key];
  const below = field.selectionSet && selectedKey(field.selectionSet, rest);
  return below ? [key, ...below] : null;
}

/**
 * Whether the first step of `how` is selected plainly and its objects are keyed for the audit on
 * their own with the rest of the way (a record's `person { fullName }`: the person's key names it).
 */
function keyedBelow(set: SelectionSetNode, how: AuditHook, auditSets: Map<SelectionSetNode, AuditHook>, auditPaths: Map<SelectionSetNode, Map<string, ResponsePath>>): boolean {
  if (how.length === 0) return false;
  const field = plainField(set, how[0]);
  const below = field?.selectionSet && auditSets.get(field.selectionSet);
  if (!below || below.length !== how.length - 1 || below.some((step, i) => step !== how[i + 1])) return false;
  // ...at every place this set is audited (a fragment spread elsewhere may be keyed there only).
  const key = field.alias?.value ?? field.name.value;
  const there = auditPaths.get(field.selectionSet!)!;
  return [...auditPaths.get(set)!.values()].every((path) => there.has(JSON.stringify([...path, key])));
}

/** Adds to `found` the citizen IDs at `keys` below every object `path` reaches in `data`, through lists. */
export function readAuditKeys(data: unknown, path: ResponsePath, keys: string[], found: Set<string>): void {
  if (data == null) return;
  if (Array.isArray(data)) {
    for (const item of data) readAuditKeys(item, path, keys, found);
    return;
  }
  if (typeof data !== 'object') return;
  if (path.length > 0) {
    readAuditKeys((data as Record<string, unknown>)[path[0]], path.slice(1), keys, found);
    return;
  }
  if (keys.length === 1) {
    const id = (data as Record<string, unknown>)[keys[0]];
    if (typeof id === 'string') found.add(id);
    return;
  }
  readAuditKeys((data as Record<string, unknown>)[keys[0]], [], keys.slice(1), found);
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

/**
 * The read that finds the persons of the records a write's input names by id (`person-of:`), to
 * name them in the write's audit entry before it runs: `r0: methadoneEnrollment(id: $v0) { person
 * { citizenId } }`, each step aliased as the answer's audit keys are, so `takeAuditKeys` collects
 * them. Only what the caller may read (`auditHook`); null when there is nothing to look up.
 */
export function recordPersonsQuery(schema: GraphQLSchema, policy: AccessPolicy, scopes: readonly string[], records: Map<string, Set<string>>): { query: string; variables: Record<string, string> } | null {
  const fields: string[] = [];
  const params: string[] = [];
  const variables: Record<string, string> = {};
  for (const [name, ids] of records) {
    const field = schema.getQueryType()?.getFields()[name];
    const idArg = field?.args.find((a) => a.name === 'id');
    const target = field && getNamedType(field.type);
    const how = target && isObjectType(target) && AccessPolicy.allows(policy.field('Query', name), scopes) ? auditHook(target, policy, scopes) : null;
    if (!idArg || !how) continue;
    const keys = how.reduceRight((inner, step) => `${AUDIT_PERSON_ALIAS}: ${step} { ${inner} }`, `${AUDIT_KEY_ALIAS}: citizenId`);
    for (const id of ids) {
      const v = `v${params.length}`;
      params.push(`$${v}: ${String(idArg.type)}`);
      variables[v] = id;
      fields.push(`r${fields.length}: ${name}(id: $${v}) { ${keys} }`);
    }
  }
  return fields.length ? { query: `query PcmtAuditRecordPersons(${params.join(', ')}) { ${fields.join(' ')} }`, variables } : null;
}
