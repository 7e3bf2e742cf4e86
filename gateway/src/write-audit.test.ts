import { describe, expect, test } from '@jest/globals';
import { buildSchema, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { AccessPolicy, analyseOperation } from './access.js';

// A write that names a person is audited under that person, whether the subgraph writes it or
// refuses it: the persons come from the operation's input (fields tagged `person`), not the answer.

const supergraph = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
const policy = AccessPolicy.fromSupergraph(supergraph);
const api = buildSchema(`
input EnrolMethadonePatientInput { citizenId: ID! clinicId: ID! communeCode: String! }
input CaseSuspectInput { citizenId: ID! role: String! }
input OpenDrugCaseInput { id: ID! communeCode: String! suspects: [CaseSuspectInput!] = [] }
input RegisterSeizureInput { id: ID! suspects: [String!]! = [] }
input RecordHotspotInput { place: String! communeCode: String! }
type Enrolment { id: ID! citizenId: ID! }
type DrugCase { id: ID! }
type Seizure { id: ID! }
type Hotspot { id: ID! }
type Query { ok: Boolean }
type Mutation {
  enrolMethadonePatient(input: EnrolMethadonePatientInput!): Enrolment!
  openDrugCase(input: OpenDrugCaseInput!): DrugCase!
  registerSeizure(input: RegisterSeizureInput!): Seizure!
  recordHotspot(input: RecordHotspotInput!): Hotspot!
}`);
const SCOPES = ['health:write', 'police:write', 'customs:write'];
const analyse = (doc: string, variables?: Record<string, unknown>) => analyseOperation(api, policy, parse(doc), null, SCOPES, variables);

describe('persons named by a write', () => {
  test('the composed supergraph marks the citizen-ID inputs of every agency', () => {
    expect(policy.namesPerson('EnrolMethadonePatientInput', 'citizenId')).toBe(true);
    expect(policy.namesPerson('CaseSuspectInput', 'citizenId')).toBe(true);
    expect(policy.namesPerson('RegisterSeizureInput', 'suspects')).toBe(true);
    expect(policy.namesPerson('RegisterLegalAidRequestInput', 'citizenId')).toBe(true);
    expect(policy.namesPerson('RecordHotspotInput', 'place')).toBe(false);
    expect(policy.field('Mutation', 'enrolMethadonePatient').sensitive).toBe(true);
    expect(policy.field('Mutation', 'recordHotspot').sensitive).toBe(false);
  });

  test('from variables, from literals, nested in lists of inputs and lists of IDs', () => {
    const viaVariables = analyse('mutation($input: EnrolMethadonePatientInput!) { enrolMethadonePatient(input: $input) { id } }', { input: { citizenId: '004090000001', clinicId: '1', communeCode: '01000' } });
    expect([...viaVariables.inputPersons]).toEqual(['004090000001']);
    expect([...viaVariables.sensitive]).toEqual(['Mutation.enrolMethadonePatient']);
    const literal = analyse('mutation { openDrugCase(input: { id: "VA-2025-00001", communeCode: "01000", suspects: [{ citizenId: "004090000002", role: "LEADER" }, { citizenId: "004090000003", role: "ACCOMPLICE" }] }) { id } }');
    expect([...literal.inputPersons].sort()).toEqual(['004090000002', '004090000003']);
    const mixed = analyse('mutation($s: [String!]!) { registerSeizure(input: { id: "TG-2025-00001", suspects: $s }) { id } }', { s: ['004090000004', '004090000005'] });
    expect([...mixed.inputPersons].sort()).toEqual(['004090000004', '004090000005']);
  });

  test('control: a write that names nobody gives nobody, and is not sensitive', () => {
    const none = analyse('mutation { recordHotspot(input: { place: "Nhà trọ 004090000009", communeCode: "01000" }) { id } }');
    expect([...none.inputPersons]).toEqual([]);
    expect(none.sensitive.size).toBe(0);
  });
});
