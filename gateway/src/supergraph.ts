import type { SupergraphManager, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { readFileSync, statSync } from 'node:fs';
import type { Logger } from 'pino';

/** Where the served supergraph comes from: the first one, and a newer one when there is one. */
export interface SupergraphSource {
  initial(): Promise<string>;
  /** A newer supergraph, or null when nothing changed. */
  changed(): Promise<string | null>;
}

/** The committed (or deployed) supergraph file, reloaded when it changes on disk. */
export function fileSource(path: string): SupergraphSource {
  let mtime = 0;
  return {
    async initial() {
      mtime = statSync(path).mtimeMs;
      return readFileSync(path, 'utf8');
    },
    async changed() {
      const now = statSync(path).mtimeMs;
      if (now === mtime) return null;
      mtime = now;
      return readFileSync(path, 'utf8');
    },
  };
}

/**
 * Serves the supergraph and picks up a newly published one without a restart: checked every
 * `pollMs`, or at once on `refresh()` (a registry notification). A supergraph the gateway rejects is
 * logged and the last good one keeps serving; requests already running finish on their own plan.
 */
export class PublishedSupergraphManager implements SupergraphManager {
  private timer: NodeJS.Timeout | null = null;
  private lastSdl = '';
  private update: SupergraphSdlUpdateFunction | null = null;
  private checking: Promise<void> = Promise.resolve();
  /** The supergraph being served: access rules are read from it. */
  get current(): string {
    return this.lastSdl;
  }
  rejected = 0;
  reloaded = 0;

  constructor(
    private readonly source: SupergraphSource,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  async initialize({ update }: { update: SupergraphSdlUpdateFunction }) {
    this.lastSdl = await this.source.initial();
    this.update = update;
    this.timer = setInterval(() => void this.refresh(), this.pollMs);
    this.timer.unref();
    return {
      supergraphSdl: this.lastSdl,
      cleanup: async () => {
        if (this.timer) clearInterval(this.timer);
        this.update = null;
      },
    };
  }

  /** Checks the source now; one check at a time. */
  refresh(): Promise<void> {
    this.checking = this.checking.then(() => this.check());
    return this.checking;
  }

  private async check(): Promise<void> {
    if (!this.update) return;
    let sdl: string | null;
    try {
      sdl = await this.source.changed();
    } catch (err) {
      this.log.error({ err }, 'supergraph source unavailable; still serving the last good supergraph');
      return;
    }
    if (sdl === null || sdl === this.lastSdl) return;
    try {
      this.update(sdl);
      this.lastSdl = sdl;
      this.reloaded++;
      this.log.info('new supergraph loaded');
    } catch (err) {
      this.rejected++;
      this.log.error({ err }, 'new supergraph rejected; still serving the last good one');
    }
  }
}

/**
 * The registry's newest accepted supergraph; the file until anything is published. `onRevision`
 * runs whenever the registry changed (a client's operations too), before the supergraph is read.
 */
export function registrySource(registry: { revision(): Promise<string>; publishedSupergraph(): Promise<string | null> }, file: SupergraphSource, onRevision: () => Promise<void>): SupergraphSource {
  let revision = '';
  let published = false;
  const read = async () => {
    const sdl = await registry.publishedSupergraph();
    if (sdl !== null) published = true;
    return sdl;
  };
  return {
    async initial() {
      revision = await registry.revision();
      await onRevision();
      return (await read()) ?? file.initial();
    },
    async changed() {
      const now = await registry.revision();
      if (now !== revision) {
        revision = now;
        await onRevision();
        const sdl = await read();
        if (sdl !== null) return sdl;
      }
      return published ? null : file.changed();
    },
  };
}
