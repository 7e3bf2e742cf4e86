import { describe, expect, test } from '@jest/globals';
import { Turns } from './turns.js';

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
