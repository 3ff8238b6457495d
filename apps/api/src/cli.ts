import 'reflect-metadata';
import { isUserRole, passwordSchema, userRoleSchema } from '@cairn/contracts';
import { createDataSource, databaseUrl, migrate, repositories } from '@cairn/db';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { AuditService } from './audit/audit.service';
import { hashPassword } from './auth/passwords';
import { seedDemoWorkspace } from './seed/seed';

type Command = (ds: DataSource, args: string[]) => Promise<string>;

/** Reads a password from the terminal without echoing it. */
function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) return Promise.reject(new Error('No terminal to ask for the password: set CAIRN_NEW_USER_PASSWORD'));
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let asked = false;
    output._writeToOutput = (s: string) => {
      // Echo the question once, then nothing of what is typed.
      if (!asked) output.output.write(s);
      asked = true;
    };
    rl.question(question, (answer) => {
      process.stdout.write('\n');
      rl.close();
      resolve(answer);
    });
  });
}

/**
 * `create-user --email a@b.c --name "Ada Quinn" --role admin [--manager boss@b.c]`: bootstraps a
 * production workspace (the first admin) or adds anyone without the API. The password comes from
 * CAIRN_NEW_USER_PASSWORD, else from a prompt.
 */
const createUser: Command = async (ds, args) => {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, manager: { type: 'string' } }, strict: true });
  const email = values.email?.trim().toLowerCase();
  const name = values.name?.trim();
  if (!email || !name || !values.role) throw new Error(`usage: create-user --email <email> --name <name> --role <${userRoleSchema.options.join('|')}> [--manager <email>]`);
  if (!isUserRole(values.role)) throw new Error(`unknown role "${values.role}": one of ${userRoleSchema.options.join(', ')}`);
  const role = values.role;
  const password = process.env.CAIRN_NEW_USER_PASSWORD ?? (await promptPassword(`Password for ${email}: `));
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) throw new Error(`The password is not accepted: ${checked.error.issues.map((i) => i.message).join('; ')}`);
  const passwordHash = await hashPassword(password);
  return ds.transaction(async (em) => {
    const db = repositories(em);
    if (await db.users.findByEmail(email)) throw new Error(`A user with the email ${email} exists; change them through PATCH /api/users/:id`);
    const manager = values.manager ? await db.users.findByEmail(values.manager) : null;
    if (values.manager && !manager) throw new Error(`No user has the email ${values.manager}`);
    const user = await db.users.insert({ name, email, role, managerId: manager?.id ?? null, passwordHash, active: true });
    await new AuditService(ds).record(em, { type: 'system', id: null, name: 'cli create-user', requestId: null }, {
      action: 'user.created',
      entity: { type: 'user', id: user.id },
      summary: `${name} (${email}) was added as ${role} from the command line`,
      changes: { after: { name, email, role, managerId: user.managerId, active: true, canSignIn: true } },
    });
    return `created ${role} ${name} <${email}> (${user.id})`;
  });
};

const commands: Record<string, Command> = {
  async migrate(ds) {
    const ran = await migrate(ds);
    return ran.length ? `applied ${ran.join(', ')}` : 'database schema is up to date';
  },
  seed: (ds) => seedDemoWorkspace(ds),
  'create-user': createUser,
};

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const command = commands[name];
  if (!command) {
    console.error(`usage: node apps/api/dist/cli.js <${Object.keys(commands).join('|')}>`);
    process.exit(2);
  }
  // The database is all these commands need (not the API's sign-in secret).
  const ds = await createDataSource(databaseUrl()).initialize();
  try {
    console.log(`${name}: ${await command(ds, process.argv.slice(3))}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
