// npm run bench:fair-share -- [--scale 1] [--rounds 5] [--heavy 10] [--samples 15] [--control] [--cpu-prof dir] [--slice 1]
// Does one analyst slow everyone? The federation runs in a child process started as `npm start`
// starts it (six subgraphs and the gateway in one process, SQLite files, or PostgreSQL with
// PCMT_TEST_POSTGRES_URL); this process is the callers. Each round times light queries idle, then
// while `--heavy` analysts each keep one heavy query (every commune × five years × every indicator,
// accepted by the cost budget) in flight, idle and loaded interleaved so that other work on the
// machine weighs on both. `--control` starts a second federation with fair turns off
// (PCMT_TURN_SLICE_MS=off) and alternates rounds between the two. Prints medians and ratios.
// Figures only: nothing passes or fails.
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { helpIfAsked, parseArgsOrFail } from './lib/cli.js';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

helpIfAsked(`
npm run bench:fair-share -- [--scale 1] [--rounds 5] [--heavy 10] [--samples 15] [--control] [--cpu-prof dir] [--slice 1]
Does one analyst slow everyone? The federation runs in a child process started as \`npm start\`
starts it (six subgraphs and the gateway in one process, SQLite files, or PostgreSQL with
PCMT_TEST_POSTGRES_URL); this process is the callers. Each round times light queries idle, then
while \`--heavy\` analysts each keep one heavy query (every commune × five years × every indicator,
accepted by the cost budget) in flight, idle and loaded interleaved so that other work on the
machine weighs on both. \`--control\` starts a second federation with fair turns off
(PCMT_TURN_SLICE_MS=off) and alternates rounds between the two. Prints medians and ratios, and
the federation's event-loop delay (how long a callback that was due waited) while loaded.
\`--slice\` is PCMT_TURN_SLICE_MS of the federation with turns on (1 ms, the default); \`--cpu-prof dir\` writes a CPU profile of the federation with turns on (node --cpu-prof).
Figures only: nothing passes or fails.`);

const { values } = parseArgsOrFail({
  options: {
    scale: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '5' },
    heavy: { type: 'string', default: '10' },
    samples: { type: 'string', default: '15' },
    control: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    slice: { type: 'string', default: '1' },
    serve: { type: 'boolean', default: false },
    name: { type: 'string', default: 'benchfs' },
  },
});

/** The heavy analyst question of issue 11 (§5): every commune of the province, five years, every indicator. */
export const HEAVY_QUERY = `query Heavy($province: ID!, $first: Int!) { communes(provinceCode: $province, first: $first) { items { code periods(from: "2021", to: "2025") { period indicators { indicator { id } value numerator denominator status } } } } }`;

/** The child: the federation as `npm start` starts it, on a fresh database and any free port. */
async function serve(): Promise<void> {
  const { testDatabase } = await import('@pcmt/kit/testing');
  const { startFederation } = await import('./lib/federation.js');
  const dir = process.env.PCMT_DATA_DIR!;
  const drops: Array<() => Promise<void>> = [];
  const keys = await ensureDevKeys(join(dir, '..', 'keys'));
  const fed = await startFederation({
    port: 0,
    logLevel: 'silent',
    seed: { seed: 2025, scale: Number(values.scale) },
    auth: { publicKeyPem: keys.publicPem },
    database: async (name) => {
      const db = await testDatabase(name, values.name!);
      drops.push(db.drop);
      return db.target;
    },
  });
  const commune = (await fed.services.get('program')!.orm.em.fork().getConnection().execute('select code from commune order by code limit 1'))[0].code as string;
  // The benchmark gone (finished or failed), the federation goes too.
  process.once('disconnect', () => process.exit(1));
  process.send!({ url: fed.gateway.url, commune, database: fed.services.get('police')!.config.database.kind });
  // How long a due callback waits for the loop: what every light request meets at each of its I/O steps.
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.on('message', async (m) => {
    if (m === 'loop') {
      const ms = (ns: number) => ns / 1e6;
      process.send!({ loop: { p50: ms(loop.percentile(50)), p90: ms(loop.percentile(90)), p99: ms(loop.percentile(99)), max: ms(loop.max) } });
      loop.reset();
      return;
    }
    if (m !== 'stop') return;
    await fed.close();
    for (const d of drops) await d();
    process.exit(0);
  });
}

interface LoopDelay {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface Federation {
  label: string;
  url: string;
  commune: string;
  database: string;
  /** The event-loop delay since the last call (milliseconds). */
  loop(): Promise<LoopDelay>;
  stop(): Promise<void>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(): Promise<void> {
  const scale = Number(values.scale);
  const rounds = Number(values.rounds);
  const heavyCallers = Number(values.heavy);
  const samples = Number(values.samples);
  const dir = mkdtempSync(join(tmpdir(), 'pcmt-bench-fs-'));
  const keys = await ensureDevKeys(join(dir, 'keys'));

  const start = async (label: string, env: NodeJS.ProcessEnv): Promise<Federation> => {
    const t0 = Date.now();
    const name = `benchfs${label === 'fair turns on' ? '' : 'off'}`;
    const profile = values['cpu-prof'] && label === 'fair turns on' ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, '--cpu-prof-interval=250'] : [];
    const child = fork(new URL(import.meta.url).pathname, ['--serve', '--scale', String(scale), '--name', name], {
      execArgv: ['--import', '@swc-node/register/esm-register', ...profile],
      env: { ...process.env, ...env, NODE_ENV: 'test', PCMT_DATA_DIR: join(dir, name) },
    });
    const up = await new Promise<{ url: string; commune: string; database: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as any));
      child.once('exit', (code) => reject(new Error(`federation exited (${code}) before it was up`)));
    });
    console.log(`${label}: federation (one process, as npm start runs it) up and seeded at scale ${scale} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${up.database})`);
    return {
      label,
      ...up,
      loop: () =>
        new Promise<LoopDelay>((resolve) => {
          const on = (m: any) => {
            if (!m?.loop) return;
            child.off('message', on);
            resolve(m.loop);
          };
          child.on('message', on);
          child.send('loop');
        }),
      stop: async () => {
        child.send('stop');
        await new Promise((r) => child.once('exit', r));
      },
    };
  };
  const feds = [await start('fair turns on', { PCMT_TURN_SLICE_MS: values.slice })];
  if (values.control) feds.push(await start('control, turns off', { PCMT_TURN_SLICE_MS: 'off' }));
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}`);

  const token = (role: string, sub: string) => issueToken(keys.privatePem, { ...devTokenClaims(role, { demoProvince: DEMO_PROVINCE_CODE }), sub });
  // Tokens exactly as `npm run tokens` issues them, one analyst per heavy query.
  const analysts = await Promise.all(Array.from({ length: heavyCallers }, (_, i) => token('analyst', `bench-analyst-${i + 1}`)));
  const otherAnalyst = await token('analyst', 'bench-light-analyst');
  const dashboard = await token('dashboard', 'bench-dashboard');
  const operations = readFileSync('schema/operations/dashboard.graphql', 'utf8');
  const post = async (fed: Federation, auth: string, body: unknown) => {
    const r = await fetch(fed.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify(body) });
    return { status: r.status, text: await r.text() };
  };
  const lights: Array<{ name: string; send: (fed: Federation) => Promise<{ status: number; text: string }> }> = [
    { name: 'provinces (another analyst)', send: (fed) => post(fed, otherAnalyst, { query: '{ provinces { code name } }' }) },
    {
      name: 'DashboardCommune (dashboard)',
      send: (fed) => post(fed, dashboard, { query: operations, operationName: 'DashboardCommune', variables: { code: fed.commune, period: '2025', from: '2021', to: '2025' } }),
    },
  ];
  // Every commune (150 at scale 1) each time, but a different page size per request: no two are
  // the same question, so no cache answers one for another.
  let asked = 0;
  const heavyBody = () => ({ query: HEAVY_QUERY, variables: { province: DEMO_PROVINCE_CODE, first: 150 + (asked++ % 300) } });

  for (const fed of feds) {
    for (const l of lights) {
      const r = await l.send(fed);
      if (r.status !== 200 || JSON.parse(r.text).errors) throw new Error(`${l.name}: ${r.status} ${r.text.slice(0, 300)}`);
    }
    const first = await post(fed, analysts[0], heavyBody());
    const parsed = JSON.parse(first.text);
    if (first.status !== 200 || parsed.errors) throw new Error(`heavy query: ${first.status} ${first.text.slice(0, 300)}`);
    const alone: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await post(fed, analysts[0], heavyBody());
      alone.push(performance.now() - t);
    }
    console.log(`${fed.label}: heavy query ${parsed.data.communes.items.length} communes × 5 years, answer ${(first.text.length / 2 ** 20).toFixed(1)} MiB, ${median(alone).toFixed(0)} ms alone`);
  }

  type Samples = Map<string, number[]>;
  const empty = (): Samples => new Map(lights.map((l) => [l.name, []]));
  const timeLights = async (fed: Federation, into: Samples) => {
    for (let i = 0; i < samples; i++) {
      for (const l of lights) {
        const t = performance.now();
        const r = await l.send(fed);
        if (r.status !== 200) throw new Error(`${l.name}: ${r.status} ${r.text.slice(0, 300)}`);
        into.get(l.name)!.push(performance.now() - t);
      }
      // A caller's pace, not a flood: the heavy queries get the time between.
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const results = new Map(feds.map((f) => [f, { idle: empty(), loaded: empty(), heavy: [] as number[], statuses: new Map<number, number>(), loops: [] as LoopDelay[] }]));
  for (let round = 1; round <= rounds; round++) {
    for (const fed of feds) {
      const res = results.get(fed)!;
      const idle = empty();
      await timeLights(fed, idle);
      // Every analyst keeps one heavy query in flight until the light ones are timed.
      let stop = false;
      const analystsBusy = analysts.map(async (auth) => {
        while (!stop) {
          const t = performance.now();
          const r = await post(fed, auth, heavyBody());
          res.statuses.set(r.status, (res.statuses.get(r.status) ?? 0) + 1);
          if (r.status === 200) res.heavy.push(performance.now() - t);
        }
      });
      // Let them all reach the gateway first.
      await new Promise((r) => setTimeout(r, 200));
      await fed.loop();
      const loaded = empty();
      await timeLights(fed, loaded);
      res.loops.push(await fed.loop());
      stop = true;
      await Promise.all(analystsBusy);
      console.log(`round ${round}, ${fed.label}: ${lights.map((l) => `${l.name} ${median(idle.get(l.name)!).toFixed(1)} → ${median(loaded.get(l.name)!).toFixed(1)} ms`).join('; ')}`);
      for (const l of lights) {
        res.idle.get(l.name)!.push(...idle.get(l.name)!);
        res.loaded.get(l.name)!.push(...loaded.get(l.name)!);
      }
    }
  }
  console.log(`\nlight-query p50 while ${heavyCallers} analysts each keep a heavy query in flight (${rounds} rounds × ${samples} samples each):`);
  for (const fed of feds) {
    const res = results.get(fed)!;
    console.log(`${fed.label}:`);
    for (const l of lights) {
      const idle = median(res.idle.get(l.name)!);
      const loaded = median(res.loaded.get(l.name)!);
      console.log(`  ${l.name.padEnd(30)} idle ${idle.toFixed(1)} ms, loaded ${loaded.toFixed(1)} ms (max ${Math.max(...res.loaded.get(l.name)!).toFixed(0)} ms): ×${(loaded / idle).toFixed(2)}`);
    }
    const loops = res.loops;
    console.log(`  event-loop delay while loaded (median of rounds): p50 ${median(loops.map((l) => l.p50)).toFixed(1)} ms, p90 ${median(loops.map((l) => l.p90)).toFixed(1)} ms, p99 ${median(loops.map((l) => l.p99)).toFixed(1)} ms, max ${Math.max(...loops.map((l) => l.max)).toFixed(0)} ms`);
    console.log(`  heavy queries answered: ${[...res.statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}; p50 ${median(res.heavy).toFixed(0)} ms each, including the wait for its turn at the gate`);
  }
  for (const fed of feds) await fed.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (values.serve) await serve();
else await measure();
