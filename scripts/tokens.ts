// npm run tokens -- [--help] [--role analyst] [--agency police] [--communes 01000,01003 | --province 04] [--project p1] [--ttl 28800]
// Development tokens, signed with the key in data/dev-keys/ (made on first use). Without --role,
// prints one token per role (a publisher needs --agency). The area is the demo province unless
// --communes or --province says otherwise. Never use these keys outside development.
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { ROLE_SCOPES } from '@pcmt/gateway/roles';
// Light modules only (not the packages' indexes, which load the whole graph): tokens in about a second.
import { DEFAULT_MAX_TOKEN_AGE_SECONDS } from '@pcmt/gateway/auth';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit/province';
import { commandLine, fail } from './lib/cli.js';

const program = commandLine('tokens', 'Development tokens for each role, signed with the key in data/dev-keys/ (never outside development)')
  .option('--role <role>', `one role only: ${Object.keys(ROLE_SCOPES).join(', ')}`)
  .option('--agency <agency>', 'the agency of a publisher token (police, health, ...)')
  .option('--communes <codes>', 'limit the area to these communes, comma-separated')
  .option('--province <code>', 'the province of the area (default: the demo province)')
  .option('--project <id>', 'research project (pseudonyms differ per project)')
  .option('--ttl <seconds>', 'lifetime in seconds', String(8 * 3600))
  .option('--dir <path>', 'where the development keys are', process.env.PCMT_DEV_KEYS_DIR ?? 'data/dev-keys')
  .addHelpText('after', '\nExamples:\n  npm run tokens\n  npm run -s tokens -- --role analyst\n  npm run -s tokens -- --role police-officer --communes 01000\n  npm run -s tokens -- --role publisher --agency customs');
program.parse();
const values = program.opts<{ role?: string; agency?: string; communes?: string; province?: string; project?: string; ttl: string; dir: string }>();

if (!(Number(values.ttl) > 0 && Number(values.ttl) <= DEFAULT_MAX_TOKEN_AGE_SECONDS)) {
  fail(`--ttl must be between 1 and ${DEFAULT_MAX_TOKEN_AGE_SECONDS} seconds: the gateway refuses longer-lived tokens (JWT_MAX_TOKEN_AGE_SECONDS)`);
}
if (values.role && !(values.role in ROLE_SCOPES)) fail(`unknown role ${values.role}; roles: ${Object.keys(ROLE_SCOPES).join(', ')}`);
const keys = await ensureDevKeys(values.dir!);
const roles = values.role ? [values.role] : Object.keys(ROLE_SCOPES).filter((r) => r !== 'publisher' || values.agency);
for (const role of roles) {
  const claims = devTokenClaims(role, {
    agency: values.agency,
    communes: values.communes ? values.communes.split(',') : undefined,
    province: values.province,
    project: values.project,
    demoProvince: DEMO_PROVINCE_CODE,
  });
  const token = await issueToken(keys.privatePem, claims, { ttlSeconds: Number(values.ttl) });
  console.log(values.role ? token : `${role.padEnd(20)} ${token}`);
}
