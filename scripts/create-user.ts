// npm run user:create -- --username ani --name "Ani Lestari" --role tutor [--password …]
// Creates an admin, organizer or tutor account from the shell. Without --password a random one
// is generated and printed once.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { prisma } from '../src/db.js';
import { ValidationError } from '../src/errors.js';
import { getT } from '../src/i18n/index.js';
import { displayNameSchema, passwordSchema, usernameSchema } from '../src/features/auth/auth.schemas.js';
import { createUser } from '../src/features/auth/auth.service.js';

const usage = 'Usage: npm run user:create -- --username NAME --name "Display Name" --role admin|organizer|tutor [--password SECRET]';

const { values } = parseArgs({
  options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
});

const schema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  role: z.enum(['admin', 'organizer', 'tutor']),
  password: passwordSchema,
});

const generated = !values.password;
const parsed = schema.safeParse({
  username: values.username,
  displayName: values.name,
  role: values.role,
  password: values.password ?? randomBytes(12).toString('base64url'),
});
const t = getT('en');
if (!parsed.success) {
  for (const issue of parsed.error.issues)
    console.error(
      `--${issue.path[0] === 'displayName' ? 'name' : String(issue.path[0])}: ${t(issue.message, { defaultValue: issue.message })}`,
    );
  console.error(usage);
  process.exit(2);
}
try {
  const user = await createUser(parsed.data);
  console.log(`Created ${user.role} account "${user.username}".`);
  if (generated) console.log(`Password (shown once): ${parsed.data.password}`);
} catch (error) {
  if (error instanceof ValidationError) {
    for (const [field, key] of Object.entries(error.fieldErrors)) console.error(`--${field}: ${t(key)}`);
    process.exit(2);
  }
  throw error;
} finally {
  await prisma.$disconnect();
}
