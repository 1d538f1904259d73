// Schemas of the API routes behind the public pages: personal-page branding (spec M3) and
// one-time booking links (spec M2).
import { type Static, Type } from '@fastify/type-provider-typebox';

const Color = Type.String({ pattern: '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$', description: 'hex colour, e.g. #1d4ed8' });
const Link = Type.Object({ name: Type.String({ maxLength: 100 }), url: Type.String({ maxLength: 2048 }), icon: Type.Optional(Type.String({ maxLength: 100 })) });
const Profiles = Type.Object(
  {
    linkedIn: Type.Optional(Type.String({ maxLength: 2048 })),
    facebook: Type.Optional(Type.String({ maxLength: 2048 })),
    twitter: Type.Optional(Type.String({ maxLength: 2048 })),
    instagram: Type.Optional(Type.String({ maxLength: 2048 })),
    xing: Type.Optional(Type.String({ maxLength: 2048 })),
    phone: Type.Optional(Type.String({ maxLength: 100 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    addressStreet: Type.Optional(Type.String({ maxLength: 200 })),
    addressCity: Type.Optional(Type.String({ maxLength: 200 })),
    addressPostalCode: Type.Optional(Type.String({ maxLength: 20 })),
    addressCountry: Type.Optional(Type.String({ maxLength: 100 })),
    customLinks: Type.Optional(Type.Array(Link, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const PersonalPageFields = {
  useCustomColors: Type.Boolean(),
  primaryColor: Type.Union([Color, Type.Null()]),
  secondaryColor: Type.Union([Color, Type.Null()]),
  headerImage: Type.Union([Type.String({ pattern: '^https://', maxLength: 2048 }), Type.Null()]),
  description: Type.String({ maxLength: 2000 }),
  showAllMeetingTypes: Type.Boolean(),
  meetingTypeOrder: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 }),
  onlineProfiles: Profiles,
};

export const PersonalPageBody = Type.Partial(Type.Object(PersonalPageFields), { $id: 'PersonalPagePatch' });
export type PersonalPagePatch = Static<typeof PersonalPageBody>;

export const PersonalPageJson = Type.Object({ ...PersonalPageFields, bookingUrl: Type.String() }, { $id: 'PersonalPage' });
export type PersonalPageSettings = Omit<Static<typeof PersonalPageJson>, 'bookingUrl'>;

export const OneTimeLinkJson = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    url: Type.String({ description: 'opens the booking page; books once' }),
    link: Type.String({ description: 'the same as url (both names are in use)' }),
  },
  { $id: 'OneTimeBookingLink' },
);
export type OneTimeLinkJson = Static<typeof OneTimeLinkJson>;

export const MeetingTypeIdParams = Type.Object({ meetingTypeId: Type.String({ maxLength: 100 }) });
