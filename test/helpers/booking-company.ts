// A company ready for booking events: its owner as host (a real user row) and that host's
// default meeting type (a real row, with reminder offsets that tests may change).
import type { HostInput } from './events.factory.ts';
import { type TestApp, type TestCompany, client } from './app.ts';

export interface BookingCompany {
  company: TestCompany;
  api: ReturnType<typeof client>;
  host: HostInput;
  meetingTypeId: string;
}

export async function newBookingCompany(t: TestApp, name = 'Booking company'): Promise<BookingCompany> {
  const company = await t.newCompany(name);
  const api = client(t.app, company.apiKey);
  const owner = await t.handle.db.selectFrom('users').selectAll().where('id', '=', company.ownerUserId).executeTakeFirstOrThrow();
  const meetingType = await t.handle.db
    .selectFrom('meeting_types')
    .select('id')
    .where('user_id', '=', owner.id)
    .executeTakeFirstOrThrow();
  return {
    company,
    api,
    host: { id: owner.id, email: owner.email, givenName: owner.given_name, familyName: owner.family_name },
    meetingTypeId: meetingType.id,
  };
}
