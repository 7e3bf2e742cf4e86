// Just enough of Docker Compose's and Docker's file formats for `npm run prod:check` to read
// docker-compose.yml, an env file and the Dockerfile the way `docker compose` would (no Docker here).
import { parse } from 'yaml';

export interface Healthcheck {
  /** Compose's form: ["CMD", ...] or ["CMD-SHELL", "..."]. */
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  startPeriodMs?: number;
  retries?: number;
}

export interface ComposeService {
  name: string;
  image?: string;
  build?: unknown;
  command?: string[];
  environment: Record<string, string>;
  envFiles: string[];
  init: boolean;
  ports: string[];
  /** Dependency → condition. */
  dependsOn: Record<string, string>;
  healthcheck?: Healthcheck;
  stopGracePeriodMs?: number;
  volumes: string[];
}

export interface ComposeFile {
  services: ComposeService[];
  /** Variables the file interpolates (`${NAME...}`), with whether each is required (`:?`). */
  variables: Map<string, { required: boolean }>;
  /** Interpolation problems: a required variable unset. */
  problems: string[];
}

const VARIABLE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation of one value: $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME:+alt}, $$. */
export function interpolate(text: string, vars: Record<string, string | undefined>, seen?: ComposeFile['variables'], problems?: string[]): string {
  return text.replace(VARIABLE, (_all, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (dollar) return '$';
    const name = (braced ?? bare)!;
    const value = vars[name];
    const colon = op?.startsWith(':') ?? false;
    const unset = value === undefined || (colon && value === '');
    seen?.set(name, { required: seen.get(name)?.required || (op?.endsWith('?') ?? false) });
    switch (op?.replace(':', '')) {
      case '-':
        return unset ? arg! : value!;
      case '?':
        if (unset) problems?.push(`${name}: ${arg || 'required'}`);
        return value ?? '';
      case '+':
        return unset ? '' : arg!;
      default:
        return value ?? '';
    }
  });
}

function deepInterpolate(node: unknown, vars: Record<string, string | undefined>, seen: ComposeFile['variables'], problems: string[]): unknown {
  if (typeof node === 'string') return interpolate(node, vars, seen, problems);
  if (Array.isArray(node)) return node.map((n) => deepInterpolate(n, vars, seen, problems));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deepInterpolate(v, vars, seen, problems)]));
  return node;
}

/** Compose durations: "20s", "1m30s", "500ms", "1h". */
export function parseDuration(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value / 1e6; // a bare number is nanoseconds
  const parts = [...String(value).matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== String(value).trim()) throw new Error(`not a duration: ${value}`);
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };
  return parts.reduce((ms, p) => ms + Number(p[1]) * unit[p[2]], 0);
}

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function environmentOf(v: unknown): Record<string, string> {
  if (!v) return {};
  if (Array.isArray(v)) {
    return Object.fromEntries(
      v.map(String).map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(v as object).map(([k, val]) => [k, val === null || val === undefined ? '' : String(val)]));
}

/** Reads a compose file, interpolated with `vars` (what `docker compose` takes from .env). */
export function readCompose(text: string, vars: Record<string, string | undefined>): ComposeFile {
  const raw = parse(text, { merge: true }) as { services?: Record<string, any> };
  if (!raw?.services || typeof raw.services !== 'object') throw new Error('no services');
  const variables: ComposeFile['variables'] = new Map();
  const problems: string[] = [];
  const services = Object.entries(raw.services).map(([name, s]): ComposeService => {
    const svc = deepInterpolate(s, vars, variables, problems) as Record<string, any>;
    const hc = svc.healthcheck;
    return {
      name,
      image: svc.image,
      build: svc.build,
      command: svc.command === undefined ? undefined : Array.isArray(svc.command) ? svc.command.map(String) : String(svc.command).split(/\s+/).filter(Boolean),
      environment: environmentOf(svc.environment),
      envFiles: (svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file]).map((f: any) => (typeof f === 'string' ? f : String(f.path))),
      init: svc.init === true,
      ports: asList(svc.ports),
      dependsOn: Array.isArray(svc.depends_on)
        ? Object.fromEntries(svc.depends_on.map((d: string) => [d, 'service_started']))
        : Object.fromEntries(Object.entries(svc.depends_on ?? {}).map(([d, c]: [string, any]) => [d, c?.condition ?? 'service_started'])),
      healthcheck:
        hc && !hc.disable
          ? {
              test: typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : asList(hc.test),
              intervalMs: parseDuration(hc.interval),
              timeoutMs: parseDuration(hc.timeout),
              startPeriodMs: parseDuration(hc.start_period),
              retries: hc.retries,
            }
          : undefined,
      stopGracePeriodMs: parseDuration(svc.stop_grace_period),
      volumes: asList(svc.volumes),
    };
  });
  return { services, variables, problems };
}

/**
 * An env file as Compose reads it: `KEY=value`, `# comments`, an inline ` # comment` after an
 * unquoted value, 'single quotes' literal, "double quotes" with \n \r \t \\ \" escapes (and newlines
 * inside). Interpolation of values is not supported: a `$` in a value is reported.
 */
export function parseEnvFile(text: string): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not KEY=value`);
      continue;
    }
    const [, key] = m;
    const rest = m[2];
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may go on over several lines until its closing quote.
      let body = rest.slice(1);
      let end = closingQuote(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        body += '\n' + lines[++i];
        end = closingQuote(body, quote);
      }
      if (end < 0) {
        problems.push(`${key}: no closing ${quote}`);
        continue;
      }
      const inner = body.slice(0, end);
      value = quote === "'" ? inner.replace(/\\'/g, "'") : inner.replace(/\\([nrt"\\])/g, (_s, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
      if (quote === '"' && /(^|[^\\])\$[{A-Za-z_]/.test(inner)) problems.push(`${key}: "$" in a value is interpolated by compose`);
    } else {
      value = rest.replace(/\s+#.*$/, '').trim();
      if (/\$[{A-Za-z_]/.test(value)) problems.push(`${key}: "$" in a value is interpolated by compose`);
    }
    values[key] = value;
  }
  return { values, problems };
}

function closingQuote(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    if (body[j] === '\\') j++;
    else if (body[j] === quote) return j;
  }
  return -1;
}

/** The variables an env file lists, including commented-out optional ones (`# KEY=...`). */
export function listedVariables(text: string): { active: string[]; commented: string[] } {
  const active = Object.keys(parseEnvFile(text).values);
  const commented = [...text.matchAll(/^#\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).filter((k) => !active.includes(k));
  return { active, commented };
}

/** A value written so that `parseEnvFile` (and Compose) read it back unchanged. */
export function envFileValue(value: string): string {
  if (value.includes('$')) throw new Error('a "$" would be interpolated by compose');
  if (/^[A-Za-z0-9_@%+,./:=-]*$/.test(value)) return value;
  return '"' + value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
}

export interface DockerInstruction {
  line: number;
  instruction: string;
  args: string;
}

/** A Dockerfile's instructions, continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let pending = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (!line || line.startsWith('#'))) return;
    if (pending && line.startsWith('#')) return;
    if (!pending) start = i + 1;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\S+)\s*(.*)$/.exec(full)!;
    out.push({ line: start, instruction: m[1].toUpperCase(), args: m[2] });
  });
  return out;
}

/** `ENV A=1 B=2` (or the old `ENV A 1`) as pairs. */
export function envInstruction(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [k, ...v] = args.split(/\s+/);
    return { [k]: v.join(' ') };
  }
  return Object.fromEntries([...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [m[1], m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2]]));
}

/**
 * Where docker-compose.yml disagrees with the list of subgraphs: a subgraph without its service (its
 * main.ts, its port, a readiness check on that port), without the gateway's SUBGRAPH_URL_<NAME> and
 * depends_on, or a service running a subgraph the list does not name.
 */
export function composeSubgraphProblems(compose: ComposeFile, subgraphs: ReadonlyArray<{ name: string; port: number }>): string[] {
  const problems: string[] = [];
  const byName = new Map(compose.services.map((s) => [s.name, s]));
  const gateway = byName.get('gateway');
  for (const { name, port } of subgraphs) {
    const s = byName.get(name);
    if (!s) {
      problems.push(`service ${name} is missing`);
      continue;
    }
    if (!s.command?.includes(`subgraphs/${name}/src/main.ts`)) problems.push(`service ${name} does not run subgraphs/${name}/src/main.ts`);
    if (s.environment.PORT !== String(port)) problems.push(`service ${name} listens on ${s.environment.PORT ?? '(no PORT)'}, the list says ${port}`);
    if (!s.healthcheck?.test.join(' ').includes(`127.0.0.1:${port}/ready`)) problems.push(`service ${name}'s healthcheck does not ask 127.0.0.1:${port}/ready`);
    const env = `SUBGRAPH_URL_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    if (gateway?.environment[env] !== `http://${name}:${port}/graphql`) problems.push(`gateway ${env} is not http://${name}:${port}/graphql`);
    if (gateway?.dependsOn[name] !== 'service_healthy') problems.push(`gateway does not wait for ${name} to be healthy`);
  }
  const names = new Set(subgraphs.map((s) => s.name));
  for (const s of compose.services) {
    const runs = s.command?.join(' ').match(/subgraphs\/([a-z0-9-]+)\/src\/main\.ts/)?.[1];
    if (runs && !names.has(runs)) problems.push(`service ${s.name} runs subgraph ${runs}, which the list of subgraphs does not name`);
  }
  return problems;
}
