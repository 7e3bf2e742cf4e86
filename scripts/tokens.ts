// npm run tokens -- [--role analyst] [--agency police] [--communes 01000,01003 | --province 04] [--project p1] [--ttl 28800]
// Development tokens, signed with the key in data/dev-keys/ (made on first use). Without --role,
// prints one token per role (a publisher needs --agency). The area is the demo province unless
// --communes or --province says otherwise. Never use these keys outside development.
import { devTokenClaims, ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { ROLE_SCOPES } from '@pcmt/gateway/roles';
import { DEFAULT_MAX_TOKEN_AGE_SECONDS } from '@pcmt/gateway';
import { DEMO_PROVINCE_CODE } from '@pcmt/kit';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    agency: { type: 'string' },
    communes: { type: 'string' },
    province: { type: 'string' },
    project: { type: 'string' },
    ttl: { type: 'string', default: String(8 * 3600) },
    dir: { type: 'string', default: process.env.PCMT_DEV_KEYS_DIR ?? 'data/dev-keys' },
  },
});

if (!(Number(values.ttl) > 0 && Number(values.ttl) <= DEFAULT_MAX_TOKEN_AGE_SECONDS)) {
  console.error(`--ttl must be between 1 and ${DEFAULT_MAX_TOKEN_AGE_SECONDS} seconds: the gateway refuses longer-lived tokens (JWT_MAX_TOKEN_AGE_SECONDS)`);
  process.exit(2);
}
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
