import { describe, expect, test } from '@jest/globals';
import DataLoader from 'dataloader';
import { requestScope, sliceFromEnv, Turns, TURNS_OWNER } from './turns.js';

/** A clock that moves only when the "work" of a test says so. */
function fakeClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

describe('fair turns on one event loop', () => {
  test('inside a slice, work goes on at once with its own value (no promise, no turn taken)', () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    const owner = {};
    expect(turns.pass(owner, 42)).toBe(42);
    expect(turns.point(owner)).toBeUndefined();
    expect(turns.turns).toBe(0);
  });

  test('past the slice, work waits for a later turn and then gets its value unchanged', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    clock.t = 10;
    const value = { figures: [1, 2, 3] };
    const waited = turns.pass({}, value);
    expect(waited).toBeInstanceOf(Promise);
    expect(await waited).toBe(value);
    expect(turns.turns).toBe(1);
  });

  test('waiting requests are released in rotation: a small request is not behind the whole of a big one', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    const heavy = {};
    const light = {};
    const order: string[] = [];
    clock.t = 10;
    // Each released step "works" 1 ms: four steps per turn.
    const work = (name: string) => () => {
      order.push(name);
      clock.t += 1;
    };
    const all = [
      ...Array.from({ length: 40 }, (_, i) => (turns.pass(heavy, `h${i}`) as Promise<string>).then(work(`h${i}`))),
      ...Array.from({ length: 2 }, (_, i) => (turns.pass(light, `l${i}`) as Promise<string>).then(work(`l${i}`))),
    ];
    await Promise.all(all);
    // The light request's two steps come after at most one batch (8) of the heavy one's forty.
    expect(order.indexOf('l1')).toBeLessThan(12);
    expect(order.filter((n) => n.startsWith('h'))).toEqual(Array.from({ length: 40 }, (_, i) => `h${i}`));
    // 42 steps of 1 ms in slices of 4 ms: several turns of the loop.
    expect(turns.turns).toBeGreaterThanOrEqual(4);
    expect(turns.queued).toBe(0);
  });

  /** A job of 40 steps of 1 ms each, and a timer due 5 ms after it starts: where does the timer's callback run? */
  async function timerAmongSteps(turns: Turns): Promise<number> {
    const job = {};
    const events: string[] = [];
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const other = new Promise<void>((resolve) => setTimeout(() => (events.push('other request'), resolve()), 5));
    busy(6);
    const steps = Array.from({ length: 40 }, (_, i) =>
      Promise.resolve(turns.pass(job, i)).then((n) => {
        events.push(`step ${n}`);
        busy(1);
      }),
    );
    await Promise.all([...steps, other]);
    return events.indexOf('other request');
  }

  test('between turns the loop takes in other work: a timer runs before a long job ends', async () => {
    expect(await timerAmongSteps(new Turns(4))).toBeLessThan(40);
  });

  test('control off: with a slice longer than the job, the timer waits for the whole job', async () => {
    expect(await timerAmongSteps(new Turns(10_000))).toBe(40);
  });

  test('while a light request is in flight, other waiting work is held; released when it leaves', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    const heavy = { requestId: 'heavy-1' };
    const light = { requestId: 'light-1' };
    const leave = turns.foregroundWhile('light-1');
    clock.t = 10;
    const order: string[] = [];
    const heavyDone = Promise.all([0, 1, 2].map((i) => Promise.resolve(turns.pass(heavy, i)).then(() => order.push(`heavy ${i}`))));
    await Promise.resolve(turns.pass(light, 'x')).then(() => order.push('light'));
    // A few turns of the loop later, the heavy work still waits.
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 2));
    expect(order).toEqual(['light']);
    leave();
    await heavyDone;
    expect(order).toEqual(['light', 'heavy 0', 'heavy 1', 'heavy 2']);
  });

  test('control: a hold lasts at most holdMaxMs, so light requests slow heavy work and never stop it', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    turns.holdMaxMs = 5;
    turns.foregroundWhile('light-forever');
    clock.t = 10;
    const waited = turns.pass({ requestId: 'heavy-2' }, 'done');
    setTimeout(() => (clock.t += 20), 5);
    expect(await waited).toBe('done');
  });

  test('heavy work about to start a long stretch waits while a light request is in flight (off: at once)', async () => {
    const turns = new Turns(4);
    // Real clock: a hold long enough that a loaded machine's slow timers cannot outlast it.
    turns.holdMaxMs = 60_000;
    const leave = turns.foregroundWhile('light-2');
    let started = false;
    const heavy = turns.background().then(() => (started = true));
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 2));
    expect(started).toBe(false);
    leave();
    await heavy;
    expect(started).toBe(true);
    const off = new Turns(Infinity);
    off.foregroundWhile('light-3');
    await off.background();
  });

  test('a turn point before work of its own waits the same way', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    clock.t = 10;
    const p = turns.point({});
    expect(p).toBeInstanceOf(Promise);
    await p;
    expect(turns.turns).toBe(1);
  });
});

describe('loader batches by rounds, not by timing', () => {
  /** A DataLoader scheduled as a request's loaders are (context.ts), recording each batch's keys. */
  function loaderOf(turns: Turns, owner: object, batches: string[][]) {
    return new DataLoader<string, string>(
      async (keys) => {
        batches.push([...keys]);
        return keys.map((k) => k.toUpperCase());
      },
      { batchScheduleFn: (run) => turns.afterWaiting(owner, run) },
    );
  }

  /** Some of a request's resolvers ask at once, some after their turn, some after a statement (I/O, `track`ed). */
  async function askAcrossTurnsAndIo(turns: Turns, clock: { t: number }, io: 'tracked' | 'untracked') {
    const owner = {};
    const batches: string[][] = [];
    const loader = loaderOf(turns, owner, batches);
    clock.t = 10;
    // Long enough that the round's own turn (setImmediate) comes first even on a loaded machine.
    const statement = new Promise<void>((resolve) => setTimeout(resolve, 50));
    if (io === 'tracked') turns.track(owner, statement);
    const answers = await Promise.all([
      loader.load('a'),
      Promise.resolve(turns.pass(owner, 'b')).then((k) => loader.load(k)),
      Promise.resolve(turns.pass(owner, 'c')).then((k) => loader.load(k)),
      statement.then(() => loader.load('d')),
    ]);
    return { answers, batches, owner };
  }

  test('keys asked now, after a turn and after a tracked statement join one batch', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    const { answers, batches, owner } = await askAcrossTurnsAndIo(turns, clock, 'tracked');
    expect(answers).toEqual(['A', 'B', 'C', 'D']);
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
    expect(turns.busy(owner)).toBe(0);
  });

  test('control: I/O the round does not know of splits the batch', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    const { batches } = await askAcrossTurnsAndIo(turns, clock, 'untracked');
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  test('the same batches with turns off, and whatever the slice', async () => {
    const seen: string[][][] = [];
    for (const slice of [Infinity, 0.01, 4]) {
      const turns = new Turns(slice);
      const owner = {};
      const batches: string[][] = [];
      const parents = loaderOf(turns, owner, batches);
      // Two levels: each parent's answer asks for its children, some of them after a turn.
      await Promise.all(
        ['p1', 'p2', 'p3', 'p4'].map(async (p, i) => {
          const parent = await parents.load(p);
          const child = await turns.pass(owner, `${parent}-child`);
          for (let n = 0; n < i * 50; n++) await turns.point(owner);
          return parents.load(child.toLowerCase());
        }),
      );
      seen.push(batches);
    }
    expect(seen[0]).toEqual([['p1', 'p2', 'p3', 'p4'], ['p1-child', 'p2-child', 'p3-child', 'p4-child']]);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });

  test('a copy of the context (what Apollo hands resolvers) is the same request', async () => {
    const clock = fakeClock();
    const turns = new Turns(4, clock.now);
    const ctx: Record<symbol | string, unknown> = { requestId: 'r-1' };
    ctx[TURNS_OWNER] = ctx;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(ctx)), ctx);
    const batches: string[][] = [];
    const loader = loaderOf(turns, ctx, batches);
    clock.t = 10;
    await Promise.all([loader.load('a'), Promise.resolve(turns.pass(copy, 'b')).then((k) => loader.load(k))]);
    expect(batches).toEqual([['a', 'b']]);
  });

  test('statements started inside a batch are counted for its request (requestScope)', async () => {
    const turns = new Turns(Infinity);
    const owner = {};
    let seenOwner: object | undefined;
    await new Promise<void>((resolve) =>
      turns.afterWaiting(owner, () => {
        seenOwner = requestScope.getStore()?.owner;
        resolve();
      }),
    );
    expect(seenOwner).toBe(owner);
  });
});

describe('PCMT_TURN_SLICE_MS', () => {
  // Unset is '' here: the environment this test runs in may set PCMT_TURN_SLICE_MS itself.
  test('on by default (1 ms), off under NODE_ENV=test unless set; "off" and numbers as given; nonsense refused', () => {
    expect(sliceFromEnv('', 'production')).toBe(1);
    expect(sliceFromEnv('', 'development')).toBe(1);
    expect(sliceFromEnv('', 'test')).toBe(Infinity);
    expect(sliceFromEnv('4', 'test')).toBe(4);
    expect(sliceFromEnv('off', 'production')).toBe(Infinity);
    expect(() => sliceFromEnv('0', 'production')).toThrow(/PCMT_TURN_SLICE_MS/);
    expect(() => sliceFromEnv('fast', 'production')).toThrow(/PCMT_TURN_SLICE_MS/);
  });
});
