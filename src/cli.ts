// The `termin` command: serve, migrate, and company / API-key administration for a stopped
// embedded database or a PostgreSQL database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServices } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrator.ts';
import { AppError } from './lib/app-error.ts';
import { systemClock } from './lib/clock.ts';
import { isUuid } from './lib/ids.ts';
import { PACKAGE_ROOT } from './lib/package-root.ts';
import { runServer } from './main.ts';

// The text lives beside bin/termin.js, which prints it for --help without loading this module.
const USAGE = readFileSync(join(PACKAGE_ROOT, 'bin', 'usage.txt'), 'utf8').trimEnd();

async function withDatabase<T>(work: (services: ReturnType<typeof buildServices>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(handle.db);
    return await work(buildServices({ config, db: handle.db, clock: systemClock }));
  } finally {
    await handle.close();
  }
}

function output(json: boolean, value: Record<string, unknown>, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      company: { type: 'string' },
      'expires-in-days': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command = 'serve', sub] = positionals;
  const json = values.json ?? false;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (`${command}${sub ? ` ${sub}` : ''}`) {
    case 'serve':
      await runServer();
      return -1; // keeps running
    case 'migrate': {
      const config = loadConfig();
      const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const applied = await migrate(handle.db).finally(() => handle.close());
      output(json, { applied }, applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      return 0;
    }
    case 'company create': {
      if (!values.name) throw new AppError('validation_failed', '--name is required');
      const created = await withDatabase((services) => services.companies.create({ name: values.name! }));
      output(
        json,
        { ...created },
        `company id:    ${created.companyId}\nowner user id: ${created.ownerUserId}\nAPI key:       ${created.apiKey}  (shown once)`,
      );
      return 0;
    }
    case 'api-key create': {
      const companyId = values.company;
      if (!companyId || !isUuid(companyId)) throw new AppError('validation_failed', '--company <uuid> is required');
      const days = values['expires-in-days'];
      const issued = await withDatabase(async (services) => {
        const exists = await services.companies.exists(companyId);
        if (!exists) throw new AppError('not_found', `Company ${companyId} not found`);
        return services.apiKeys.issue(companyId, {
          name: values.name,
          expiresInDays: days === undefined ? undefined : Number(days),
        });
      });
      output(json, { ...issued }, `API key: ${issued.apiKey}  (shown once)\nid:      ${issued.id}`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof DataDirLockedError) {
      // Most likely the server: say how to do the same through it.
      process.stderr.write(
        `termin: ${error.message}. Stop it first, or ask the running server: POST /admin/companies (with TERMIN_ADMIN_KEY set) creates a company, POST /v4/api-key a key (see README.md, Operators)\n`,
      );
      process.exit(4);
    }
    if (error instanceof ConfigError || error instanceof AppError) {
      process.stderr.write(`termin: ${error.message}\n`);
      process.exit(error instanceof AppError && error.code === 'not_found' ? 3 : 2);
    }
    process.stderr.write(`termin: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
