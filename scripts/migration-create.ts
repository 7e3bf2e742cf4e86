// Usage: npm run migration:create -- <subgraph|all> [name] [--sqlite-only]
// Applies the existing migrations to an empty database of each dialect, then writes a new
// migration with whatever the entities add. Nothing is written when the entities match.
// SQLite needs nothing; the PostgreSQL migration needs a server (PCMT_POSTGRES_URL, default
// postgresql://postgres@127.0.0.1:5432). Without one, --sqlite-only writes the SQLite one alone.
import { dirname, join } from 'node:path';
import { helpIfAsked } from './lib/cli.js';
import { fileURLToPath } from 'node:url';
import { createMigrations, pgServerUrl, postgresProblem, type Dialect } from './lib/migrations.js';
import { loadSubgraph, loadSubgraphs } from './lib/subgraphs.js';

helpIfAsked(`
Usage: npm run migration:create -- <subgraph|all> [name] [--sqlite-only]
Applies the existing migrations to an empty database of each dialect, then writes a new
migration with whatever the entities add. Nothing is written when the entities match.
SQLite needs nothing; the PostgreSQL migration needs a server (PCMT_POSTGRES_URL, default
postgresql://postgres@127.0.0.1:5432). Without one, --sqlite-only writes the SQLite one alone.`);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const sqliteOnly = args.includes('--sqlite-only');
const [target = 'all', label] = args.filter((a) => !a.startsWith('--'));

const dialects: Dialect[] = ['sqlite'];
if (!sqliteOnly) {
  const problem = await postgresProblem();
  if (problem) {
    console.error(
      `migration:create: PostgreSQL is not reachable at ${pgServerUrl().replace(/\/\/[^@/]*@/, '//…@')} (${problem}); start one (docker compose up -d postgres, or set PCMT_POSTGRES_URL), or run with --sqlite-only and create the postgresql/ migration later.`,
    );
    process.exit(1);
  }
  dialects.push('postgresql');
}

const defs = target === 'all' ? await loadSubgraphs() : [await loadSubgraph(target)];
for (const def of defs) await createMigrations(def, join(root, 'subgraphs', def.name, 'src', 'migrations'), { label, dialects });
if (sqliteOnly) console.warn('migration:create: SQLite only; the postgresql/ migration is still to be created (test/migrations.test.ts fails until it is).');
