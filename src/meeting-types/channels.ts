// The channel enum of the contract (spec §4.5) and the friendly names older docs and the seeds use.

export const CHANNELS = [
  'local',
  'local-attendee',
  'google',
  'zoom',
  'phone',
  'phone-incoming',
  'whatsapp',
  'connect',
  'webex',
  'teamsForBusiness2',
  'teams2ForExchange',
  'custom',
  'resource',
  'whereby',
  'kmeet',
  'jitsi',
  'nextcloudTalk',
  'openTalk',
  'alfaview',
  'skypeForConsumer',
  'skypeForBusiness',
  'teamsForBusiness',
] as const;

export type Channel = (typeof CHANNELS)[number];

const ALIASES: Record<string, Channel> = {
  google_meet: 'google',
  googlemeet: 'google',
  meet: 'google',
  teams: 'teamsForBusiness2',
  microsoft_teams: 'teamsForBusiness2',
  in_person: 'local',
  inperson: 'local',
  phone_incoming: 'phone-incoming',
  local_attendee: 'local-attendee',
};

/** The canonical channel for an enum value or a documented alias; undefined when unknown. */
export function toChannel(value: string): Channel | undefined {
  if ((CHANNELS as readonly string[]).includes(value)) return value as Channel;
  return ALIASES[value.toLowerCase()];
}
