import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { emOf } from './database.js';
import { probe, Tally } from './fixtures/probe.js';
import { createSubgraphService, type SubgraphService } from './service.js';
import { postGraphql, testDatabase, usingPostgres } from './testing.js';
import { cleanInput, cleanText } from './validation.js';

// "Nguyễn Thị Huyền" as a Mac or a Telex keyboard may send it: base letters and combining marks.
const NFC = 'Nguyễn Thị Huyền';
const NFD = NFC.normalize('NFD');

describe('cleanInput', () => {
  test('refuses C0 controls but tab and newline, DEL and C1, with the path of the field', () => {
    const input = {
      note: 'a\u0000b',
      fine: 'tab\there\nand a new line',
      escape: 'x\u001b[31m',
      del: 'x\u007f',
      c1: 'x\u0085',
      lone: 'x\ry',
      parts: [{ note: 'ok' }, { note: 'bad\u0007' }],
      amount: 3,
      day: new Date(0),
      missing: null,
    };
    expect(cleanInput(input).errors).toEqual([
      { field: 'note', message: 'must not contain control characters (U+0000 at position 1)' },
      { field: 'escape', message: 'must not contain control characters (U+001B at position 1)' },
      { field: 'del', message: 'must not contain control characters (U+007F at position 1)' },
      { field: 'c1', message: 'must not contain control characters (U+0085 at position 1)' },
      { field: 'lone', message: 'must not contain control characters (U+000D at position 1)' },
      { field: 'parts[1].note', message: 'must not contain control characters (U+0007 at position 3)' },
    ]);
  });

  test('normalises every string to NFC in place, Windows line ends to \\n', () => {
    const input = { name: NFD, nested: { list: [NFD, 'plain'] }, note: 'dòng 1\r\ndòng 2', amount: 1 };
    expect(NFD).not.toBe(NFC);
    expect(cleanInput(input).any).toBe(false);
    expect(input).toEqual({ name: NFC, nested: { list: [NFC, 'plain'] }, note: 'dòng 1\ndòng 2', amount: 1 });
    expect(cleanText(NFD)).toEqual({ text: NFC, control: null });
  });
});

describe('input hygiene and schema refusals through a subgraph', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let service: SubgraphService;
  let url: string;

  beforeAll(async () => {
    db = await testDatabase('probe');
    service = await createSubgraphService(probe, { database: db.target, logLevel: 'silent' });
    await service.migrate();
    url = (await service.listen(0)).url;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const ADD = `mutation($input: AddTallyInput!) { addTally(input: $input) { id label day } }`;
  const add = (input: Record<string, unknown>) => postGraphql(url, ADD, { input });
  const rows = () => emOf(service.orm).fork().count(Tally, {});
  const fieldErrors = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.fieldErrors;

  test('a NUL byte anywhere in the input is a field error, and nothing is written', async () => {
    const before = await rows();
    const res = await add({ amount: 1, label: 'ghi chú\u0000', parts: [{ note: 'ok' }, { note: '\u0001' }] });
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'label' });
    expect(fieldErrors(res)).toEqual([
      { field: 'label', message: 'must not contain control characters (U+0000 at position 7)' },
      { field: 'parts[1].note', message: 'must not contain control characters (U+0001 at position 0)' },
    ]);
    expect(await rows()).toBe(before);
  });

  test('a control character in the idempotency key is refused too', async () => {
    const res = await add({ amount: 1, idempotencyKey: 'key-\u0000-00001' });
    expect(fieldErrors(res)).toEqual([{ field: 'idempotencyKey', message: 'must not contain control characters (U+0000 at position 4)' }]);
  });

  test('decomposed Vietnamese is stored composed (NFC); a decomposed retry matches its composed first call', async () => {
    const first = await add({ amount: 5, label: NFD, idempotencyKey: 'nfc-retry-0001' });
    expect(first.errors).toBeUndefined();
    expect(first.data.addTally.label).toBe(NFC);
    const [row] = await service.orm.em.fork().getConnection().execute('select label from tally where id = ?', [Number(first.data.addTally.id)]);
    expect(row.label).toBe(NFC);
    const before = await rows();
    const again = await add({ amount: 5, label: NFC, idempotencyKey: 'nfc-retry-0001' });
    expect(again.data.addTally.id).toBe(first.data.addTally.id);
    expect(await rows()).toBe(before);
  });

  test('off: a write that bypasses the kit stores what it gets — decomposed text no search finds, NUL where the database lets it', async () => {
    const em = emOf(service.orm).fork();
    em.create(Tally, { amount: 6, label: NFD });
    await em.flush();
    expect(await emOf(service.orm).fork().count(Tally, { amount: 6, label: NFC })).toBe(0);
    const nul = emOf(service.orm).fork();
    nul.create(Tally, { amount: 7, label: 'a\u0000b' });
    // PostgreSQL refuses NUL in text, and SQLite's tokenizer stops at it: an "Internal error" to the caller.
    await expect(nul.flush()).rejects.toThrow(usingPostgres() ? /0x00|invalid message format/ : /unrecognized token/);
  });

  test('a malformed date in a variable is BAD_USER_INPUT naming the field, several at once in one error', async () => {
    const res = await add({ amount: 1, day: '2025-02-30' });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'day',
      fieldErrors: [{ field: 'day', message: 'must be a date YYYY-MM-DD' }],
    });
    expect(res.errors![0].message).toBe('Invalid input — day: must be a date YYYY-MM-DD');
    const two = await add({ amount: 1, day: '30/02/2025; at "input.x"', until: 20250301 });
    expect(two.errors).toHaveLength(1);
    expect(fieldErrors(two)).toEqual([
      { field: 'day', message: 'must be a date YYYY-MM-DD' },
      { field: 'until', message: 'must be a date YYYY-MM-DD' },
    ]);
  });

  test('a missing or unknown field, a nested one, and a wrong type are named the same way', async () => {
    const res = await add({ label: 'x', parts: [{ note: 'a' }, {}], colour: 'red', day: '2025-01-01' });
    expect(fieldErrors(res)).toEqual(
      expect.arrayContaining([
        { field: 'amount', message: 'is required' },
        { field: 'parts[1].note', message: 'is required' },
        { field: 'colour', message: 'is not a field of this input' },
      ]),
    );
    const typed = await add({ amount: 'three' });
    expect(fieldErrors(typed)).toEqual([{ field: 'amount', message: expect.stringMatching(/Int cannot represent/) }]);
    const whole = await postGraphql(url, ADD, {});
    expect(fieldErrors(whole)).toEqual([{ field: 'input', message: 'is required' }]);
  });

  test('a malformed date written into the query text, or as a query argument, is named too', async () => {
    const literal = await postGraphql(url, `mutation { addTally(input: { amount: 1, day: "2025-13-01", parts: [{ note: "a" }, { }] }) { id } }`);
    expect(literal.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
    expect(fieldErrors(literal)).toEqual([
      { field: 'day', message: 'must be a date YYYY-MM-DD' },
      { field: 'parts[1].note', message: 'is required' },
    ]);
    const arg = await postGraphql(url, `{ tallies(from: "yesterday") { id } }`);
    expect(fieldErrors(arg)).toEqual([{ field: 'from', message: 'must be a date YYYY-MM-DD' }]);
    const variable = await postGraphql(url, `query($from: LocalDate) { tallies(from: $from) { id } }`, { from: '2025-02-29' });
    expect(fieldErrors(variable)).toEqual([{ field: 'from', message: 'must be a date YYYY-MM-DD' }]);
    const ok = await postGraphql(url, `query($from: LocalDate) { tallies(from: $from) { id } }`, { from: '2024-02-29' });
    expect(ok.errors).toBeUndefined();
  });

  test('other errors keep their own shape', async () => {
    const res = await postGraphql(url, `{ nothingHere }`);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].extensions?.fieldErrors).toBeUndefined();
  });
});
