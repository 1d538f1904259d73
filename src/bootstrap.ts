// First start: an empty database gets a default company, its owner and one API key, so a new
// user can call the API at once. The key is printed once and never again — and atomically: it is
// printed inside the transaction that creates the company, so a process killed before the key
// is shown commits nothing and the next start bootstraps again (test/ops/bootstrap.test.ts).
import type { Config } from './config.ts';
import type { Services } from './app.ts';
import type { CreatedCompany } from './companies/companies.service.ts';

export async function bootstrapIfEmpty(
  services: Services,
  config: Readonly<Config>,
  announce: (created: CreatedCompany) => Promise<void>,
): Promise<CreatedCompany | null> {
  const created = await services.companies.createFirst(
    {
      name: 'Default company',
      ownerEmail: 'owner@termin.local',
      ownerGivenName: 'Termin',
      ownerFamilyName: 'Owner',
      apiKey: config.bootstrapApiKey,
    },
    async (company) => {
      crashPoint(config, 'bootstrap:created');
      await announce(company);
      crashPoint(config, 'bootstrap:printed');
    },
  );
  if (created) crashPoint(config, 'bootstrap:committed');
  return created;
}

/** Tests only: TERMIN_TEST_CRASH_AT=<point> kills the process there, as a power cut would. */
export function crashPoint(config: Readonly<Config>, point: string): void {
  if (config.testCrashAt === point) process.kill(process.pid, 'SIGKILL');
}

/** Resolves once the text has been handed to the operating system. */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/** The one time the generated key is shown: with a curl line that uses it. */
export function welcomeText(created: CreatedCompany, config: Readonly<Config>, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const base = `http://${host}:${port}`;
  const shownKey = config.bootstrapApiKey ? '<the value of TERMIN_API_KEY>' : created.apiKey;
  return (
    [
      '',
      'Termin created a default company on this empty database.',
      `  company id:    ${created.companyId}`,
      `  owner user id: ${created.ownerUserId}`,
      `  API key:       ${shownKey}`,
      config.bootstrapApiKey ? '' : '  This key is shown once. Keep it: only its hash is stored.',
      '',
      'Try it:',
      `  curl -H "Authorization: Bearer ${shownKey}" ${base}/v4/user/me`,
      `API reference: ${base}/docs`,
      '',
    ].join('\n')
  );
}
