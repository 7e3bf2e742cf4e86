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
 *
 * Loaders batch by rounds, not by timing (`afterWaiting`): a request's batches run together once
 * the request is still (nothing of it waits for a turn, no SQL statement of it is in flight, no
 * microtask is left), so every key its resolvers will ask before a batch returns has joined the
 * batch, whatever the turns, promise hops or database latency.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Waiter = () => void;

/** One request's waiting work, first in first out (an index, not Array.shift: queues run to tens of thousands). */
interface Queue {
  items: Waiter[];
  head: number;
}

/** Waiters released together before the slice is checked again: a few fields' worth of work. */
const BATCH = 8;

/**
 * The object a request's work is keyed by. Apollo hands resolvers a shallow copy of the context
 * the subgraph made, so a context names its original here (`createRequestContext`), and the copy
 * (which copies this property too) is the same request.
 */
export const TURNS_OWNER = Symbol.for('pcmt.turns.owner');

function ownerOf(owner: object): object {
  return ((owner as Record<symbol, unknown>)[TURNS_OWNER] as object | undefined) ?? owner;
}

/** What a request's loader batches wait for (see `afterWaiting`). */
interface Round {
  /** Operations of the request in flight that may lead to more keys: SQL statements, its area's lookup. */
  busy: number;
  /** Batches waiting for the request to be still, in the order they were opened. */
  batches: Array<() => void>;
  /** A check is scheduled (setImmediate). */
  checking: boolean;
}

/**
 * The request (its context object) the running code works for: set around each HTTP request of a
 * subgraph and around each batch, so a statement started anywhere below is counted for it (`track`).
 */
export const requestScope = new AsyncLocalStorage<{ owner?: object }>();

export class Turns {
  /** The queue of each request with work waiting, in rotation order (a Map keeps insertion order). */
  private readonly waiting = new Map<object, Queue>();
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

  /** Whether work takes turns at all (PCMT_TURN_SLICE_MS not `off`). */
  get on(): boolean {
    return this.sliceMs !== Infinity;
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
    return new Promise<T>((resolve) => this.enqueue(ownerOf(owner), () => resolve(value)));
  }

  /** A turn point before work of one's own: undefined (go on) or a promise to await. */
  point(owner: object): Promise<void> | undefined {
    if (!this.due()) return undefined;
    return new Promise<void>((resolve) => this.enqueue(ownerOf(owner), resolve));
  }

  /** Each request's round (a WeakMap: a request that ends leaves nothing behind). */
  private readonly rounds = new WeakMap<object, Round>();

  private roundOf(owner: object): Round {
    let round = this.rounds.get(owner);
    if (!round) this.rounds.set(owner, (round = { busy: 0, batches: [], checking: false }));
    return round;
  }

  /**
   * Runs `fn` (a loader's batch) once `owner` is still: none of its work waits for a turn, nothing
   * it tracks (`track`: its SQL statements) is in flight, and the microtasks have run (setImmediate).
   * Then no resolver of the request can ask for another key until a batch returns, so each batch
   * holds every key of its round, and a request costs the same statements whether it was cut into
   * turns or not, on SQLite (synchronous) as on PostgreSQL (I/O). Every batch waiting then runs
   * together, in the order it was opened.
   */
  afterWaiting(of: object, fn: () => void): void {
    const owner = ownerOf(of);
    const round = this.roundOf(owner);
    round.batches.push(fn);
    this.check(owner, round);
  }

  /**
   * `promise` is work of `owner` that may lead to more keys (a statement, a lookup its resolvers
   * wait for): its loaders' batches wait until it settles. Work that itself waits for a batch must
   * not be tracked (it would never settle).
   */
  track<T>(of: object, promise: Promise<T>): Promise<T> {
    const owner = ownerOf(of);
    const round = this.roundOf(owner);
    round.busy++;
    const done = () => {
      round.busy--;
      this.check(owner, round);
    };
    promise.then(done, done);
    return promise;
  }

  /** How many tracked operations of `owner` are in flight (tests read it). */
  busy(owner: object): number {
    return this.rounds.get(ownerOf(owner))?.busy ?? 0;
  }

  /** Whether `owner` is still: nothing waiting for a turn, nothing tracked in flight. */
  private still(owner: object, round: Round): boolean {
    return round.busy === 0 && !this.waiting.has(owner);
  }

  /** Schedules the batches of a round that may have become still; re-checked whenever that may change. */
  private check(owner: object, round: Round): void {
    if (round.checking || round.batches.length === 0 || !this.still(owner, round)) return;
    round.checking = true;
    // After every microtask: resolvers that carry on from what just settled ask their keys first.
    setImmediate(() => {
      round.checking = false;
      if (round.batches.length === 0 || !this.still(owner, round)) return;
      const batches = round.batches;
      round.batches = [];
      // Each batch's statements are counted for its request, whoever's turn this is.
      for (const run of batches) requestScope.run({ owner }, run);
    });
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

  /** Whether `owner` is a light request in flight (the gateway of this process registered it). */
  isLight(owner: object): boolean {
    const id = (ownerOf(owner) as { requestId?: unknown }).requestId;
    return typeof id === 'string' && this.foreground.has(id);
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
      // Its loaders' batches may run once the last waiters' own work (microtasks) is done.
      const round = this.rounds.get(owner);
      if (round) this.check(owner, round);
    }
    queueMicrotask(this.step);
  };
}

/**
 * PCMT_TURN_SLICE_MS: the slice in milliseconds, or `off`: work runs to its end. By default 1 ms
 * (measured: a light query's every I/O step waits at most about one slice; 4 ms left it ×4 idle
 * under ten heavy queries, 1 ms ×1.7), and off under NODE_ENV=test, where tests that compare it turn
 * it on themselves. Statement counts are the same either way (loaders batch by rounds).
 */
export function sliceFromEnv(value = process.env.PCMT_TURN_SLICE_MS, nodeEnv = process.env.NODE_ENV): number {
  if (value === undefined || value === '') return nodeEnv === 'test' ? Infinity : DEFAULT_SLICE_MS;
  if (value === 'off') return Infinity;
  const ms = Number(value);
  if (!(ms > 0)) throw new Error(`PCMT_TURN_SLICE_MS must be a positive number of milliseconds or "off", got "${value}"`);
  return ms;
}

export const DEFAULT_SLICE_MS = 1;

const KEY = Symbol.for('pcmt.turns');
/** The process's scheduler (kept on globalThis: one even if this module were loaded twice). */
export const turns: Turns = ((globalThis as Record<symbol, unknown>)[KEY] as Turns | undefined) ?? ((globalThis as Record<symbol, unknown>)[KEY] = new Turns(sliceFromEnv()));
