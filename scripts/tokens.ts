// npm run tokens -- [--role analyst] [--agency police] [--communes 01000,01003 | --province 04] [--project p1] [--ttl 28800]
// Development tokens, signed with the key in data/dev-keys/ (made on first use). Without --role,
// prints one token per role. The area is the demo province unless --communes or --province says
// otherwise. Never use these keys outside development.
import { ensureDevKeys, issueToken } from '@pcmt/gateway/dev-keys';
import { ROLE_SCOPES } from '@pcmt/gateway/roles';
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

const DEFAULT_AGENCY: Record<string, string> = {
  'police-officer': 'police',
  'health-officer': 'health',
  'education-officer': 'education',
  'customs-officer': 'customs',
  'legal-aid-officer': 'legal-aid',
  'steering-committee': 'program',
  analyst: 'program',
  dashboard: 'program',
};

const keys = await ensureDevKeys(values.dir!);
const roles = values.role ? [values.role] : Object.keys(ROLE_SCOPES);
for (const role of roles) {
  if (!ROLE_SCOPES[role]) throw new Error(`unknown role ${role}; roles: ${Object.keys(ROLE_SCOPES).join(', ')}`);
  const token = await issueToken(
    keys.privatePem,
    {
      sub: `dev-${role}`,
      agency: values.agency ?? DEFAULT_AGENCY[role] ?? 'program',
      roles: [role],
      communes: values.communes ? values.communes.split(',') : [],
      province: values.province ?? (values.communes ? null : DEMO_PROVINCE_CODE),
      project: values.project ?? (role === 'analyst' ? 'dev-project' : null),
    },
    { ttlSeconds: Number(values.ttl) },
  );
  console.log(values.role ? token : `${role.padEnd(20)} ${token}`);
}
