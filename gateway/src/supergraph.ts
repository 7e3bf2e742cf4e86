import type { SupergraphManager, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { readFileSync, statSync } from 'node:fs';
import type { Logger } from 'pino';

/**
 * Serves the supergraph from a file and picks up a newly published one without a restart.
 * A file the gateway rejects (unparsable or not a valid supergraph) is logged and the last
 * good supergraph keeps serving.
 */
export class FileSupergraphManager implements SupergraphManager {
  private timer: NodeJS.Timeout | null = null;
  private lastMtime = 0;
  private lastSdl = '';
  /** The supergraph being served: access rules are read from it. */
  get current(): string {
    return this.lastSdl;
  }
  rejected = 0;
  reloaded = 0;

  constructor(
    private readonly path: string,
    private readonly pollSeconds: number,
    private readonly log: Logger,
  ) {}

  async initialize({ update }: { update: SupergraphSdlUpdateFunction }) {
    this.lastSdl = readFileSync(this.path, 'utf8');
    this.lastMtime = statSync(this.path).mtimeMs;
    this.timer = setInterval(() => this.poll(update), this.pollSeconds * 1000);
    this.timer.unref();
    return {
      supergraphSdl: this.lastSdl,
      cleanup: async () => {
        if (this.timer) clearInterval(this.timer);
      },
    };
  }

  private poll(update: (sdl: string) => void): void {
    try {
      const mtime = statSync(this.path).mtimeMs;
      if (mtime === this.lastMtime) return;
      this.lastMtime = mtime;
      const sdl = readFileSync(this.path, 'utf8');
      if (sdl === this.lastSdl) return;
      update(sdl);
      this.lastSdl = sdl;
      this.reloaded++;
      this.log.info({ path: this.path }, 'new supergraph loaded');
    } catch (err) {
      this.rejected++;
      this.log.error({ err, path: this.path }, 'new supergraph rejected; still serving the last good one');
    }
  }
}
