import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the repository keeps its schema files: a module of its own, so that a command line that
// only needs a path does not load the subgraphs and the composer (schema.ts).
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMA_DIR = join(ROOT, 'schema');
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');
