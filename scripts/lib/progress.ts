import type { Progress } from '@pcmt/kit';

/**
 * Progress of a long seed or import: one updating line on a terminal, a line per quarter
 * otherwise (CI logs stay short).
 */
export function progressReporter(prefix: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  const lastQuarter = new Map<string, number>();
  let lastDraw = 0;
  return (step, done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (tty) {
      const now = Date.now();
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 24;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r[${prefix}] ${step.padEnd(20)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}\x1b[K`);
      if (done >= total) stream.write('\n');
      return;
    }
    const quarter = Math.floor(pct / 25);
    if (lastQuarter.get(step) === quarter) return;
    lastQuarter.set(step, quarter);
    stream.write(`[${prefix}] ${step}: ${done}/${total} (${pct}%)\n`);
  };
}
