/**
 * One analyst must not slow everyone: a cap on each caller's requests in flight, and a gate that
 * lets only a few expensive ad-hoc queries run at once while light ones pass by.
 */

/** Requests in flight per caller; `enter` gives a release function, or null when the caller is at the cap. */
export class CallerLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly max: number) {}

  enter(caller: string): (() => void) | null {
    const n = this.inFlight.get(caller) ?? 0;
    if (n >= this.max) return null;
    this.inFlight.set(caller, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(caller) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(caller);
      else this.inFlight.set(caller, left);
    };
  }

  current(caller: string): number {
    return this.inFlight.get(caller) ?? 0;
  }
}

export class GateFullError extends Error {}

/** A counting semaphore with a bounded queue and a bounded wait. */
export class HeavyQueryGate {
  private running = 0;
  private readonly waiting: Array<{ grant: () => void; timer: NodeJS.Timeout }> = [];
  /** Most queries ever running at once: what the tests read. */
  peak = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxQueue: number,
    private readonly maxWaitMs: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      this.peak = Math.max(this.peak, this.running);
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueue) return Promise.reject(new GateFullError('too many expensive queries waiting'));
    return new Promise<void>((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          this.running++;
          this.peak = Math.max(this.peak, this.running);
          resolve();
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new GateFullError('an expensive query waited too long for its turn'));
        }, this.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.grant();
  }
}

/** How many reporting periods `from`..`to` spans ('2021'..'2025', '2025-Q1'..'2025-Q4', '2025-01'..'2025-12'); null when unreadable. */
export function periodSpan(from: unknown, to: unknown): number | null {
  const index = (p: unknown): [string, number] | null => {
    if (typeof p !== 'string') return null;
    const m = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/.exec(p);
    if (!m) return null;
    const year = Number(m[1]);
    if (m[2]) return ['Q', year * 4 + Number(m[2])];
    if (m[3]) return ['M', year * 12 + Number(m[3])];
    return ['Y', year];
  };
  const a = index(from);
  const b = index(to);
  if (!a || !b || a[0] !== b[0] || b[1] < a[1]) return null;
  return b[1] - a[1] + 1;
}
