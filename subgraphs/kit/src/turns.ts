/**
 * Fair turns on one event loop. A heavy request (every commune × five years × every indicator)
 * resolves tens of thousands of fields in promise callbacks, which never let the loop take other
 * requests in; one such stretch held light queries for half a second. Here work that passes a
 * turn point carries on at once while the current slice of the loop lasts; past it, it waits for
 * the next turn (setImmediate, after the loop has taken in other requests' I/O), and waiting
 * requests are released in rotation, one step each, so a small request is never behind the whole
 * of a big one. While a light request is in flight (the gateway registers it), other requests'
 * waiting work is held, for a bounded time. One scheduler per process: the gateway and every
 * subgraph of `npm start` share it.
 */

type Waiter = () => void;

/** One request's waiting work, first in first out (an index, not Array.shift: queues run to tens of thousands). */
interface Queue {
  items: Waiter[];
  head: number;
}

/** Waiters released together before the slice is checked again: a few fields' worth of work. */
const BATCH = 8;

export class Turns {
  /** The queue of each request with work waiting, in rotation order (a Map keeps insertion order). */
  private readonly waiting = new Map<object, Queue>();
  /** What runs once a request has no work waiting (its loaders' batches). */
  private readonly afterwards = new Map<object, Array<() => void>>();
  private sliceStart: number;
  /** A step of the release loop is scheduled (microtask or next turn). */
  private pending = false;
  /** Turns taken since start: what the tests read. */
  turns = 0;
  /** Light requests in flight (their gateway request ids), registered by the gateway of this process. */
  private readonly foreground = new Map<string, number>();
  /** Since when waiting work of other requests has been held for them (0: not held). */
  private heldSince = 0;
  /** Longest hold: heavy work is slowed by a stream of light requests, never stopped. */
  holdMaxMs = 100;

  /** `sliceMs`: how long work runs before the loop takes in other work; `now`: the clock (tests pass their own). */
  constructor(
    public sliceMs = 4,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sliceStart = now();
  }

  /** Whether the current slice is used up. */
  private due(): boolean {
    return this.now() - this.sliceStart > this.sliceMs;
  }

  /**
   * `value` now while the slice lasts, else a promise of it on a later turn (each turn starts by
   * releasing the work that waited, oldest first within each request).
   * `owner` is the request the work belongs to (its context object): the unit of rotation.
   */
  pass<T>(owner: object, value: T): T | Promise<T> {
    if (!this.due()) return value;
    return new Promise<T>((resolve) => this.enqueue(owner, () => resolve(value)));
  }

  /** A turn point before work of one's own: undefined (go on) or a promise to await. */
  point(owner: object): Promise<void> | undefined {
    if (!this.due()) return undefined;
    return new Promise<void>((resolve) => this.enqueue(owner, resolve));
  }

  /**
   * Runs `fn` on a later turn, once `owner` has no work waiting: a loader's batch, so that every
   * key the request's waiting work will ask for still joins it (one statement, however many turns).
   */
  afterWaiting(owner: object, fn: () => void): void {
    if (!this.waiting.has(owner)) {
      setImmediate(() => this.runOrDefer(owner, fn));
      return;
    }
    const list = this.afterwards.get(owner);
    if (list) list.push(fn);
    else this.afterwards.set(owner, [fn]);
  }

  /**
   * Work released since the batch was scheduled may have been held back again (its slice ran out):
   * the batch waits for it too, so its keys still join. Nothing waits on the batch to be released,
   * so this ends when the request's held work does.
   */
  private runOrDefer(owner: object, fn: () => void): void {
    if (this.waiting.has(owner)) this.afterWaiting(owner, fn);
    else fn();
  }

  /**
   * A light request is in flight (`requestId`, which the subgraphs' contexts carry too): until the
   * returned function is called, work of other requests waiting for a turn stays waiting (at most
   * `holdMaxMs` at a stretch), so the light one meets no more of it than the stretch under way.
   */
  foregroundWhile(requestId: string): () => void {
    this.foreground.set(requestId, (this.foreground.get(requestId) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.foreground.get(requestId) ?? 1) - 1;
      if (left > 0) this.foreground.set(requestId, left);
      else this.foreground.delete(requestId);
    };
  }

  /**
   * Resolves on a later turn when no light request is in flight (or the hold has lasted
   * `holdMaxMs`): where heavy work is about to start a long stretch that cannot be cut (a call to a
   * subgraph, a walk over a whole answer).
   */
  background(): Promise<void> {
    // Turns off (PCMT_TURN_SLICE_MS=off): work runs to its end, nothing is held.
    if (this.sliceMs === Infinity) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // The slice ends here: requests that arrived meanwhile are taken in before this work starts.
      this.sliceStart = this.now() - this.sliceMs - 1;
      this.enqueue({}, resolve);
    });
  }

  /** Whether `owner`'s waiting work is held now for light requests in flight. */
  private held(owner: object): boolean {
    if (this.foreground.size === 0 || this.sliceMs === Infinity) return false;
    const id = (owner as { requestId?: unknown }).requestId;
    return !(typeof id === 'string' && this.foreground.has(id));
  }

  /** Requests with work waiting now. */
  get queued(): number {
    return this.waiting.size;
  }

  private enqueue(owner: object, waiter: Waiter): void {
    const queue = this.waiting.get(owner);
    if (queue) queue.items.push(waiter);
    else this.waiting.set(owner, { items: [waiter], head: 0 });
    if (!this.pending) {
      this.pending = true;
      // Inside a slice the release loop starts at once; past it, on the next turn.
      if (this.due()) setImmediate(this.turn);
      else queueMicrotask(this.step);
    }
  }

  private readonly turn = () => {
    this.turns++;
    this.sliceStart = this.now();
    this.step();
  };

  /**
   * Releases a few waiters of the request first in rotation, which moves to the back; then, in a
   * microtask queued behind those waiters' continuations, the next, until the slice is used up.
   */
  private readonly step = () => {
    if (this.due()) {
      setImmediate(this.turn);
      return;
    }
    let first = this.waiting.entries().next();
    if (first.done) {
      this.pending = false;
      return;
    }
    if (this.foreground.size > 0) {
      if (!this.heldSince) this.heldSince = this.now();
      const holding = this.now() - this.heldSince < this.holdMaxMs;
      // The work of a light request goes first; the rest waits while the hold lasts.
      for (const entry of this.waiting) {
        if (!holding || !this.held(entry[0])) {
          first = { done: false, value: entry };
          break;
        }
        first = { done: true, value: undefined };
      }
      if (first.done) {
        setTimeout(this.turn, 1);
        return;
      }
    } else this.heldSince = 0;
    const [owner, queue] = first.value;
    this.waiting.delete(owner);
    const end = Math.min(queue.head + BATCH, queue.items.length);
    const released = queue.items.slice(queue.head, end);
    queue.head = end;
    if (queue.head < queue.items.length) this.waiting.set(owner, queue);
    for (const waiter of released) waiter();
    if (queue.head >= queue.items.length) {
      // After the last waiters' own work (microtasks), before anything else's turn.
      for (const fn of this.afterwards.get(owner) ?? []) setImmediate(() => this.runOrDefer(owner, fn));
      this.afterwards.delete(owner);
    }
    queueMicrotask(this.step);
  };
}

/**
 * PCMT_TURN_SLICE_MS: the slice in milliseconds, or `off` (the default): work runs to its end.
 * Off by default because a slice that ends in the middle of a level of a big answer can split a
 * loader's batch (a few more SQL statements per big request); `npm start`, where analysts and the
 * dashboard share one event loop, turns it on (4 ms).
 */
export function sliceFromEnv(value = process.env.PCMT_TURN_SLICE_MS): number {
  if (value === undefined || value === '' || value === 'off') return Infinity;
  const ms = Number(value);
  if (!(ms > 0)) throw new Error(`PCMT_TURN_SLICE_MS must be a positive number of milliseconds or "off", got "${value}"`);
  return ms;
}

const KEY = Symbol.for('pcmt.turns');
/** The process's scheduler (kept on globalThis: one even if this module were loaded twice). */
export const turns: Turns = ((globalThis as Record<symbol, unknown>)[KEY] as Turns | undefined) ?? ((globalThis as Record<symbol, unknown>)[KEY] = new Turns(sliceFromEnv()));
