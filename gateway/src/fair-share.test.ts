import { describe, expect, test } from '@jest/globals';
import { CallerLimiter, GateFullError, HeavyQueryGate, periodSpan } from './fair-share.js';

describe('fair share', () => {
  test('a caller at the cap is refused until one of its requests ends; others are not affected', () => {
    const limiter = new CallerLimiter(2);
    const a1 = limiter.enter('a')!;
    const a2 = limiter.enter('a')!;
    expect(limiter.enter('a')).toBeNull();
    expect(limiter.enter('b')).not.toBeNull();
    a1();
    a1(); // releasing twice frees one place only
    expect(limiter.current('a')).toBe(1);
    expect(limiter.enter('a')).not.toBeNull();
    a2();
  });

  test('expensive queries run one at a time, queue in order, and a full queue is refused', async () => {
    const gate = new HeavyQueryGate(1, 2, 5_000);
    const order: number[] = [];
    let release!: () => void;
    const first = gate.run(() => new Promise<void>((r) => (release = r)).then(() => order.push(1)));
    const second = gate.run(async () => order.push(2));
    const third = gate.run(async () => order.push(3));
    await expect(gate.run(async () => order.push(4))).rejects.toBeInstanceOf(GateFullError);
    expect(gate.queued).toBe(2);
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual([1, 2, 3]);
    expect(gate.peak).toBe(1);
  });

  test('a query that waits too long for its turn is refused', async () => {
    const gate = new HeavyQueryGate(1, 5, 30);
    let release!: () => void;
    const running = gate.run(() => new Promise<void>((r) => (release = r)));
    await expect(gate.run(async () => 1)).rejects.toThrow(/waited too long/);
    release();
    await running;
  });

  test('a period range counts its periods', () => {
    expect(periodSpan('2021', '2025')).toBe(5);
    expect(periodSpan('2024-Q3', '2025-Q2')).toBe(4);
    expect(periodSpan('2025-01', '2025-12')).toBe(12);
    expect(periodSpan('2025', '2025-Q2')).toBeNull();
    expect(periodSpan('2025', '2021')).toBeNull();
    expect(periodSpan(undefined, '2021')).toBeNull();
  });
});
