import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AccessPolicy, analyseOperation, AUDIT_KEY_ALIAS, AUDIT_PERSON_ALIAS, auditHook, scopesOf, type AuditEntry, type RunningGateway } from '@pcmt/gateway';
import { operationDocuments, SHIPPED_CLIENTS, shippedClient } from '@pcmt/gateway/registry';
import { ROLE_CLIENT } from '@pcmt/gateway/roles';
import { todayInVietnam } from '@pcmt/kit';
import { buildASTSchema, getNamedType, GraphQLError, isInputObjectType, isObjectType, parse, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { personsOfInputRecords } from '../../gateway/src/secure-steps.js';
import { startTestFederation, type TestFederation } from '../harness.js';

/**
 * Issue 11: "every write that names a person is audited, refused or not" — also when the input names
 * the person only through a record's id (the enrolment whose status changes, the file to close, the
 * request to accept, the seizure to hand over). Each such mutation, as its own officer with the
 * registered operation of its app: the entry written before the write names the record's persons,
 * computed here from the agency's own tables; written or refused alike. A record outside the
 * caller's area names nobody and is answered as an unknown id is. Control off: a gateway whose
 * supergraph lacks the `person-of:` tags names nobody.
 */
const SUPERGRAPH = 'schema/supergraph.graphql';
const PURPOSE = 'cập nhật hồ sơ';
const FUTURE = '2999-01-01';
const today = todayInVietnam();

let fed: TestFederation;
/** A commune-level officer's commune, and another commune's records to try from there. */
let home: string;

interface Picked {
  id: string;
  commune: string;
  persons: string[];
}

interface Spec {
  mutation: string;
  role: string;
  operation: string;
  subgraph: string;
  /** SQL giving `id, commune_code, citizen_id` (one row per person of the record) for records `where` selects. */
  records: (where: string) => string;
  /** The record's id and commune columns in `records` (qualified when it joins). */
  columns?: { id: string; commune: string };
  /** Records the write can succeed on. */
  open: string;
  /** Makes such a record when the seeded province may hold none (a request received today). */
  prepare?: () => Promise<void>;
  /** A write that succeeds on a record in `open`. */
  written: (id: string) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** A write the subgraph refuses (a date in the future, a step back). */
  refused: (id: string) => Record<string, unknown>;
  /** An id no record holds, in the record's own format. */
  unknown: (id: string) => string;
}

const intUnknown = () => '987654321';
/** Same format, a number no record has: the trailing digits all 9s. */
const codeUnknown = (id: string) => id.replace(/\d+$/, (d) => '9'.repeat(d.length));

/** Records of one table that holds the record's commune and its person. */
const oneTable = (table: string, citizen = 'citizen_id') => (w: string) =>
  `select id, commune_code, ${citizen === 'citizen_id' ? citizen : `${citizen} as citizen_id`} from ${table} where ${w}`;

type Step = Omit<Spec, 'mutation' | 'role' | 'operation' | 'subgraph'>;

/** The writes one role makes in one subgraph; `shared` holds what all of them have alike. */
const writesOf =
  <Shared extends Partial<Step>>(role: string, subgraph: string, shared: Shared) =>
  (mutation: string, operation: string, step: Omit<Step, keyof Shared> & Partial<Step>): Spec =>
    ({ mutation, role, operation, subgraph, ...shared, ...step }) as Spec;

const healthWrite = writesOf('health-officer', 'health', { unknown: intUnknown });
/** A legal-aid officer's step on a request. */
const legalAidStep = writesOf('legal-aid-officer', 'legal-aid', { records: oneTable('legal_aid_request'), unknown: codeUnknown });
const policeWrite = writesOf('police-officer', 'police', {});

/** Handing a seizure over to a police case: customs and the border guard alike, a seizure with its suspects. */
const handOver = (h: Pick<Spec, 'mutation' | 'role' | 'operation' | 'subgraph'> & { tables: [string, string]; idField: 'id' | 'seizureId' }): Spec => ({
  mutation: h.mutation,
  role: h.role,
  operation: h.operation,
  subgraph: h.subgraph,
  records: (w) => `select z.id, z.commune_code, s.citizen_id from ${h.tables[0]} z join ${h.tables[1]} s on s.seizure_id = z.id where ${w}`,
  columns: { id: 'z.id', commune: 'z.commune_code' },
  open: 'z.handed_over_on is null',
  written: async (id) => ({ [h.idField]: id, drugCaseId: await drugCase(), handedOverOn: today }),
  refused: (id) => ({ [h.idField]: id, drugCaseId: 'VA-2025-00001', handedOverOn: FUTURE }),
  unknown: codeUnknown,
});

const SPECS: Spec[] = [
  healthWrite('changeEnrollmentStatus', 'HealthChangeEnrollmentStatus', {
    records: oneTable('methadone_enrollment'),
    open: `status = 'ACTIVE'`,
    written: (id) => ({ enrollmentId: id, status: 'SUSPENDED', changedOn: today, reason: 'Tạm ngừng theo đề nghị' }),
    refused: (id) => ({ enrollmentId: id, status: 'ACTIVE', changedOn: FUTURE }),
  }),
  healthWrite('endRehabEpisode', 'HealthEndRehabEpisode', {
    records: oneTable('rehab_episode'),
    open: 'ended_on is null',
    written: (id) => ({ id, endedOn: today, outcome: 'COMPLETED' }),
    refused: (id) => ({ id, endedOn: FUTURE, outcome: 'COMPLETED' }),
  }),
  legalAidStep('acceptLegalAidRequest', 'LegalAidAcceptRequest', {
    prepare: () => receiveRequest(),
    open: `status = 'RECEIVED' and eligibility_group <> 'NOT_ELIGIBLE'`,
    written: async (id) => ({ id, providerId: await provider(), acceptedOn: today }),
    refused: (id) => ({ id, providerId: '1', acceptedOn: FUTURE }),
  }),
  legalAidStep('refuseLegalAidRequest', 'LegalAidRefuseRequest', {
    prepare: () => receiveRequest(),
    open: `status = 'RECEIVED'`,
    written: (id) => ({ id, reason: 'Không thuộc diện được trợ giúp pháp lý', refusedOn: today }),
    refused: (id) => ({ id, reason: 'Không thuộc diện', refusedOn: FUTURE }),
  }),
  legalAidStep('startLegalAid', 'LegalAidStartAid', {
    open: `status = 'ACCEPTED'`,
    written: (id) => ({ id, startedOn: today }),
    refused: (id) => ({ id, startedOn: FUTURE }),
  }),
  legalAidStep('completeLegalAid', 'LegalAidCompleteAid', {
    open: `status = 'IN_PROGRESS'`,
    written: (id) => ({ id, completedOn: today, outcome: 'Đã tư vấn pháp luật' }),
    refused: (id) => ({ id, completedOn: FUTURE, outcome: 'Đã tư vấn' }),
  }),
  policeWrite('changeDrugCaseStatus', 'PoliceChangeCaseStatus', {
    records: (w) => `select c.id, c.commune_code, s.person_citizen_id as citizen_id from drug_case c join case_suspect s on s.drug_case_id = c.id where ${w}`,
    columns: { id: 'c.id', commune: 'c.commune_code' },
    open: `c.status = 'REPORTED'`,
    written: (id) => ({ id, status: 'INVESTIGATING' }),
    // A step back along the lifecycle.
    refused: (id) => ({ id, status: 'REPORTED' }),
    unknown: codeUnknown,
  }),
  policeWrite('closeManagementFile', 'PoliceCloseManagementFile', {
    records: oneTable('management_file', 'person_citizen_id'),
    open: 'closed_on is null',
    written: (id) => ({ id, closedOn: today }),
    refused: (id) => ({ id, closedOn: FUTURE }),
    unknown: intUnknown,
  }),
  policeWrite('dealWithRetailDealer', 'PoliceDealWithRetailDealer', {
    records: oneTable('retail_dealer', 'person_citizen_id'),
    open: `status = 'ACTIVE'`,
    written: (id) => ({ id, status: 'ARRESTED', dealtWithOn: today }),
    refused: (id) => ({ id, status: 'SANCTIONED', dealtWithOn: FUTURE }),
    unknown: intUnknown,
  }),
  policeWrite('recordWantedPersonCaught', 'PoliceRecordWantedPersonCaught', {
    // A notice belongs to the commune its person lives in.
    records: (w) => `select w.id, p.commune_code, w.person_citizen_id as citizen_id from wanted_person w join person p on p.citizen_id = w.person_citizen_id where ${w}`,
    columns: { id: 'w.id', commune: 'p.commune_code' },
    open: 'w.caught_on is null',
    written: (id) => ({ id, caughtOn: today }),
    refused: (id) => ({ id, caughtOn: FUTURE }),
    unknown: intUnknown,
  }),
  handOver({ mutation: 'handOverSeizure', role: 'customs-officer', operation: 'CustomsHandOverSeizure', subgraph: 'customs', tables: ['seizure', 'seizure_suspect'], idField: 'seizureId' }),
  handOver({ mutation: 'handOverBorderGuardSeizure', role: 'border-guard-officer', operation: 'BorderGuardHandOverSeizure', subgraph: 'border-guard', tables: ['border_guard_seizure', 'border_guard_suspect'], idField: 'id' }),
];

/** Registers a request received today, as the centre does, for a person with none yet: RECEIVED. */
async function receiveRequest(): Promise<void> {
  const asked = new Set((await fed.sql<{ citizen_id: string }>('legal-aid', 'select citizen_id from legal_aid_request')).map((r) => r.citizen_id));
  const person = (await fed.sql<{ citizen_id: string; commune_code: string }>('police', 'select citizen_id, commune_code from person order by citizen_id')).find((p) => !asked.has(p.citizen_id))!;
  const input = { citizenId: person.citizen_id, receivedOn: today, communeCode: person.commune_code, eligibilityGroup: 'CHILD', serviceForm: 'ADVICE' };
  const r = await fed.run('legal-aid-officer', 'LegalAidRegisterRequest', { input }, { purpose: PURPOSE });
  expect(r.errors).toBeUndefined();
}

const provider = async () => String((await fed.sql<{ id: string | number }>('legal-aid', 'select id from legal_aid_provider order by id limit 1'))[0].id);
const drugCase = async () => String((await fed.sql<{ id: string }>('police', 'select id from drug_case order by id limit 1'))[0].id);

/** The records `where` selects, each with its persons (sorted), in id order. */
async function pick(spec: Spec, where: string): Promise<Picked[]> {
  const rows = await fed.sql<{ id: string | number; commune_code: string; citizen_id: string }>(spec.subgraph, spec.records(where));
  const byId = new Map<string, Picked>();
  for (const r of rows) {
    const p = byId.get(String(r.id)) ?? { id: String(r.id), commune: r.commune_code, persons: [] };
    if (!p.persons.includes(r.citizen_id)) p.persons.push(r.citizen_id);
    byId.set(p.id, p);
  }
  return [...byId.values()].map((p) => ({ ...p, persons: p.persons.sort() })).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Runs one write through `gateway` and gives its answer and the audit entries it appended. */
async function audited(gateway: RunningGateway, run: () => Promise<{ data?: any; errors?: any[] }>): Promise<{ answer: { data?: any; errors?: any[] }; entries: AuditEntry[] }> {
  const before = (await gateway.audit.all()).length;
  const answer = await run();
  return { answer, entries: (await gateway.audit.all()).slice(before) };
}

/** Sends the role's registered operation to `gateway` (the test federation's, or the control replica). */
async function send(gateway: RunningGateway, spec: Spec, input: Record<string, unknown>, area: { communes?: string[] } = {}): Promise<{ data?: any; errors?: any[] }> {
  if (gateway === fed.gateway) return fed.run(spec.role, spec.operation, { input }, { purpose: PURPOSE, ...area });
  // The control replica: the same registered document, sent by its id as the app sends it.
  const entry = SHIPPED_CLIENTS.find((e) => e.client === ROLE_CLIENT[spec.role])!;
  const doc = shippedClient(entry).sources.flatMap((s) => operationDocuments(s.body)).find((d) => d.operationName === spec.operation)!;
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await fed.roleToken(spec.role, area)}`, 'x-pcmt-purpose': encodeURIComponent(PURPOSE) },
    body: JSON.stringify({ documentId: `sha256:${doc.id}`, operationName: spec.operation, variables: { input } }),
  });
  return (await res.json()) as any;
}

/** What a refusal says, with the id it names taken out (it names the id given, whatever it is). */
const said = (answer: { errors?: any[] }, id: string) =>
  JSON.stringify((answer.errors ?? []).map(({ message, extensions }) => ({ message, code: extensions?.code, fieldErrors: extensions?.fieldErrors }))).split(id).join('<id>');

/** Writes checked and those whose entry did not name exactly the persons the write was about. */
const tally = { on: { writes: 0, unnamed: 0 }, off: { writes: 0, unnamed: 0 } };
const count = (side: 'on' | 'off', entries: AuditEntry[], persons: string[]) => {
  tally[side].writes++;
  // The first entry is the one written before the write; persons the answer reads beyond those
  // (a wanted notice's case and its suspects) get an entry of their own after it.
  const named = entries.length > 0 && JSON.stringify(entries[0].persons) === JSON.stringify(persons);
  if (!named) tally[side].unnamed++;
  return named;
};

let control: RunningGateway;

beforeAll(async () => {
  fed = await startTestFederation({ seed: 211, scale: 0.1 });
  const [busiest] = await fed.sql<{ commune_code: string }>('health', 'select commune_code from methadone_enrollment group by commune_code order by count(*) desc, commune_code limit 1');
  home = busiest.commune_code;
  // Control off: the same gateway settings on a supergraph without the `person-of:` tags.
  const stripped = readFileSync(SUPERGRAPH, 'utf8').replace(/ @tag\(name: "person-of:[^"]*"\)/g, '');
  const dir = mkdtempSync(join(tmpdir(), 'pcmt-control-'));
  // The registry serves the supergraph with the subgraph SDLs it was composed from beside it.
  for (const f of readdirSync('schema').filter((f) => f.endsWith('.graphql'))) copyFileSync(join('schema', f), join(dir, f));
  const path = join(dir, 'supergraph.graphql');
  writeFileSync(path, stripped);
  control = await fed.startReplica({ supergraphPath: path });
});

afterAll(async () => {
  await fed?.close();
});

describe('the schema: every write that names a person by a record id', () => {
  const sdl = readFileSync(SUPERGRAPH, 'utf8');
  const schema: GraphQLSchema = buildASTSchema(parse(sdl), { assumeValidSDL: true });
  const policy = AccessPolicy.fromSupergraph(sdl);

  /** Whether an input type (or one inside it) has a field tagged `person` or `person-of:`. */
  const namesSomeone = (type: GraphQLInputType, seen = new Set<string>()): boolean => {
    const t = getNamedType(type);
    if (!isInputObjectType(t) || seen.has(t.name)) return false;
    seen.add(t.name);
    return Object.values(t.getFields()).some((f) => policy.namesPerson(t.name, f.name) || policy.recordOf(t.name, f.name) !== null || namesSomeone(f.type, seen));
  };

  test('is tagged: the mutations here carry `person-of:` on their id, and every mutation naming someone is sensitive', () => {
    const mutations = schema.getMutationType()!.getFields();
    for (const spec of SPECS) {
      const input = getNamedType(mutations[spec.mutation].args.find((a) => a.name === 'input')!.type);
      expect(isInputObjectType(input) && Object.keys(input.getFields()).some((f) => policy.recordOf(input.name, f) !== null)).toBe(true);
    }
    const naming = Object.values(mutations).filter((m) => m.args.some((a) => namesSomeone(a.type)));
    const byId = Object.values(mutations).filter((m) => m.args.some((a) => {
      const t = getNamedType(a.type);
      return isInputObjectType(t) && Object.keys(t.getFields()).some((f) => policy.recordOf(t.name, f) !== null);
    }));
    console.log(`mutations naming a person: ${naming.length}, ${byId.length} of them through a record id (${SPECS.length} run here)`);
    expect(byId.map((m) => m.name)).toEqual(expect.arrayContaining(SPECS.map((s) => s.mutation)));
    expect(naming.filter((m) => !policy.field('Mutation', m.name).sensitive).map((m) => m.name)).toEqual([]);
  });

  test('leads somewhere: each `person-of:` names a Query field by id whose record says whom it is about, for the role that writes it', () => {
    const writers = new Map(SPECS.map((s) => [s.mutation, s.role]));
    for (const m of Object.values(schema.getMutationType()!.getFields())) {
      const input = getNamedType(m.args.find((a) => a.name === 'input')?.type ?? m.type);
      if (!isInputObjectType(input)) continue;
      for (const f of Object.keys(input.getFields())) {
        const field = policy.recordOf(input.name, f);
        if (!field) continue;
        const query = schema.getQueryType()!.getFields()[field];
        expect(query?.args.map((a) => a.name)).toContain('id');
        const target = getNamedType(query.type);
        const role = writers.get(m.name) ?? 'health-officer';
        const scopes = scopesOf([role]);
        expect(AccessPolicy.allows(policy.field('Query', field), scopes)).toBe(true);
        expect(isObjectType(target) && auditHook(target, policy, scopes)).toBeTruthy();
      }
    }
  });
});

describe('the lookup before the write', () => {
  const sdl = readFileSync(SUPERGRAPH, 'utf8');
  const schema = buildASTSchema(parse(sdl), { assumeValidSDL: true });
  const policy = AccessPolicy.fromSupergraph(sdl);
  const caller = { sub: 'officer', agency: 'police', roles: ['police-officer'], scopes: scopesOf(['police-officer']) } as any;
  const refusedFor: string[] = [];
  const deps = { log: { error: () => {} }, metrics: { refused: { inc: ({ reason }: { reason: string }) => refusedFor.push(reason) } } } as any;
  const closing = () => {
    const document = parse('mutation Close($i: CloseManagementFileInput!) { closeManagementFile(input: $i) { id } }');
    const variables = { i: { id: '41', closedOn: today } };
    const analysis = analyseOperation(schema, policy, document, 'Close', caller.scopes, variables);
    const rc = { schema, document, operation: document.definitions[0], request: { variables }, context: { requestId: 'r-1' } };
    return { rc, analysis };
  };

  test('reads the record as the caller and names its person; a record it cannot see (null) names nobody', async () => {
    const { rc, analysis } = closing();
    expect([...analysis.inputRecords]).toEqual([['managementFile', new Set(['41'])]]);
    const asked: any[] = [];
    const found = await personsOfInputRecords(deps, rc, caller, policy, analysis, async (r) => {
      asked.push(r);
      return { data: { r0: { [AUDIT_PERSON_ALIAS]: { [AUDIT_KEY_ALIAS]: '001090000001' } } } };
    });
    expect(found).toBeNull();
    expect(asked.map((r) => [r.request.query, r.request.variables])).toEqual([
      [`query PcmtAuditRecordPersons($v0: ID!) { r0: managementFile(id: $v0) { ${AUDIT_PERSON_ALIAS}: person { ${AUDIT_KEY_ALIAS}: citizenId } } }`, { v0: '41' }],
    ]);
    expect([...analysis.inputPersons]).toEqual(['001090000001']);

    const unseen = closing();
    expect(await personsOfInputRecords(deps, unseen.rc, caller, policy, unseen.analysis, async () => ({ data: { r0: null } }))).toBeNull();
    expect([...unseen.analysis.inputPersons]).toEqual([]);
  });

  test('a lookup that fails (the subgraph down) refuses the write: no entry naming nobody, no write', async () => {
    const { rc, analysis } = closing();
    const down = await personsOfInputRecords(deps, rc, caller, policy, analysis, async () => ({ errors: [new GraphQLError('unreachable', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } })] }));
    expect(down?.answer.errors[0].extensions).toMatchObject({ code: 'AUDIT_UNAVAILABLE', http: { status: 503 } });
    expect(refusedFor).toEqual(['audit_unavailable']);
    const thrown = await personsOfInputRecords(deps, closing().rc, caller, policy, closing().analysis, async () => {
      throw new Error('socket hang up');
    });
    expect(thrown?.answer.errors[0].extensions?.code).toBe('AUDIT_UNAVAILABLE');
    // Control: a malformed id is the write's to refuse, in its own words.
    const malformed = closing();
    expect(await personsOfInputRecords(deps, malformed.rc, caller, policy, malformed.analysis, async () => ({ errors: [new GraphQLError('id must be a positive integer', { extensions: { code: 'BAD_USER_INPUT' } })] }))).toBeNull();
  });
});

describe('each write names the persons of the record it names by id, before it runs', () => {
  test.each(SPECS.map((s) => [s.mutation, s] as const))('%s: written and refused, as its officer', async (_name, spec) => {
    await spec.prepare?.();
    const [record] = (await pick(spec, spec.open)).filter((r) => r.persons.length > 0);
    expect(record).toBeDefined();

    const written = await audited(fed.gateway, async () => send(fed.gateway, spec, await spec.written(record.id)));
    expect(written.answer.errors).toBeUndefined();
    expect(written.answer.data?.[spec.mutation]).toBeTruthy();
    expect(count('on', written.entries, record.persons)).toBe(true);
    expect(written.entries[0]).toEqual(expect.objectContaining({ persons: record.persons, purpose: PURPOSE, fields: expect.arrayContaining([`Mutation.${spec.mutation}`]) }));
    // Any later entry is the answer's own reads, never the record's persons again.
    for (const e of written.entries.slice(1)) expect(e.persons.filter((p) => record.persons.includes(p))).toEqual([]);

    const refused = await audited(fed.gateway, () => send(fed.gateway, spec, spec.refused(record.id)));
    expect(refused.answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(count('on', refused.entries, record.persons)).toBe(true);
    expect(refused.entries).toEqual([expect.objectContaining({ persons: record.persons, operationName: spec.operation })]);
    // Who, why, about whom: never what the refusal said.
    expect(JSON.stringify(refused.entries)).not.toContain(FUTURE);
  });

  test.each(SPECS.map((s) => [s.mutation, s] as const))('%s: needs a purpose; without one nothing is read, written or audited', async (_name, spec) => {
    const [record] = await pick(spec, '1 = 1');
    fed.resetStatements();
    const none = await audited(fed.gateway, () => fed.run(spec.role, spec.operation, { input: spec.refused(record.id) }));
    expect(none.answer.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    expect(none.entries).toEqual([]);
    expect(fed.statements()).toBe(0);
  });

  test.each(SPECS.map((s) => [s.mutation, s] as const))('%s: a record outside the officer\'s area names nobody and is answered as an unknown id', async (_name, spec) => {
    const { id, commune } = spec.columns ?? { id: 'id', commune: 'commune_code' };
    const away = (await pick(spec, `${commune} <> ${quote(home)}`)).filter((r) => r.persons.length > 0);
    expect(away.length).toBeGreaterThan(0);
    const record = away[0];
    const unknown = spec.unknown(record.id);
    expect(await pick(spec, `${id} = ${quote(unknown)}`)).toEqual([]);
    const area = { communes: [home] };
    const outside = await audited(fed.gateway, async () => send(fed.gateway, spec, await spec.written(record.id), area));
    const nobody = await audited(fed.gateway, async () => send(fed.gateway, spec, await spec.written(unknown), area));
    expect(outside.answer.errors?.length).toBeGreaterThan(0);
    expect(said(outside.answer, record.id)).toBe(said(nobody.answer, unknown));
    expect(outside.entries.map((e) => e.persons)).toEqual([[]]);
    expect(nobody.entries.map((e) => e.persons)).toEqual([[]]);
    expect(JSON.stringify(outside)).not.toMatch(new RegExp(record.persons.join('|')));
  });
});

describe('control off: a supergraph without the `person-of:` tags', () => {
  test.each(SPECS.map((s) => [s.mutation, s] as const))('%s: the refused write is on record under nobody', async (_name, spec) => {
    const [record] = (await pick(spec, '1 = 1')).filter((r) => r.persons.length > 0);
    const refused = await audited(control, () => send(control, spec, spec.refused(record.id)));
    expect(refused.answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(count('off', refused.entries, record.persons)).toBe(false);
    expect(refused.entries.flatMap((e) => e.persons)).toEqual([]);
  });

  test('figure: writes naming a person by a record id without an audit entry naming them', () => {
    console.log(
      `writes naming a person by a record id without an audit entry naming them: ${tally.on.unnamed} of ${tally.on.writes} (${SPECS.length} mutations, written and refused); control off: ${tally.off.unnamed} of ${tally.off.writes}`,
    );
    expect(tally.on.writes).toBe(2 * SPECS.length);
    expect(tally.on.unnamed).toBe(0);
    expect(tally.off.unnamed).toBe(tally.off.writes);
  });
});
