// First start: an empty database gets a default company, its owner and one API key, so a new
// user can call the API at once. The key is printed once and never again.
import type { Config } from './config.ts';
import type { Services } from './app.ts';

export async function bootstrapIfEmpty(
  services: Services,
  config: Readonly<Config>,
  print: (text: string) => void,
): Promise<boolean> {
  if (!(await services.companies.isEmpty())) return false;
  const created = await services.companies.create({
    name: 'Default company',
    ownerEmail: 'owner@termin.local',
    ownerGivenName: 'Termin',
    ownerFamilyName: 'Owner',
    apiKey: config.bootstrapApiKey,
  });
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const shownKey = config.bootstrapApiKey ? '<the value of TERMIN_API_KEY>' : created.apiKey;
  print(
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
    ].join('\n'),
  );
  return true;
}
