// npm run schema:compose  — print every subgraph's SDL into schema/ and compose schema/supergraph.graphql
// npm run schema:check    — fail if the committed SDL differs from the code or composition fails
import { helpIfAsked } from './lib/cli.js';
import { checkSchema, writeAll } from './lib/schema.js';

helpIfAsked(`
npm run schema:compose  print every subgraph's SDL into schema/ and compose schema/supergraph.graphql
npm run schema:check    fail when the committed SDL differs from the code, composition fails or a client is stale`);

const command = process.argv[2];
if (command === 'compose' || command === 'print') {
  const result = await writeAll();
  if (result.errors.length) {
    console.error(`Composition failed:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
    process.exit(1);
  }
  console.log('schema/*.graphql and schema/supergraph.graphql written');
} else if (command === 'check') {
  const report = await checkSchema();
  if (!report.ok) {
    console.error(`Schema check failed:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('schema check passed: committed SDL matches the code and composes');
} else {
  console.error('usage: npm run schema:compose | npm run schema:check');
  process.exit(2);
}
