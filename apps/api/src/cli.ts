import 'reflect-metadata';
import { createDataSource, migrate } from '@cairn/db';
import { loadConfig } from './config';
import { seedDemoWorkspace } from './seed/seed';

const commands: Record<string, (ds: Awaited<ReturnType<typeof init>>) => Promise<string>> = {
  async migrate(ds) {
    const ran = await migrate(ds);
    return ran.length ? `applied ${ran.join(', ')}` : 'database schema is up to date';
  },
  seed: (ds) => seedDemoWorkspace(ds),
};

function init() {
  return createDataSource(loadConfig().databaseUrl).initialize();
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const command = commands[name];
  if (!command) {
    console.error(`usage: node apps/api/dist/cli.js <${Object.keys(commands).join('|')}>`);
    process.exit(2);
  }
  const ds = await init();
  try {
    console.log(`${name}: ${await command(ds)}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
