// The meeting type a booking names, as bookings need it. Stand-in until the meeting-types
// feature's findMeetingType is merged; then this file goes.
import type { Executor } from '../db/database.ts';

export interface BookableMeetingType {
  id: string;
  user_id: string;
  enabled: boolean;
  name: string;
  description: string;
  duration: number;
  channel: string;
  buffer_before: number;
  buffer_after: number;
  meeting_info: Record<string, unknown>;
  meeting_options: Record<string, unknown>;
  locations: string[];
}

export async function findBookableMeetingType(db: Executor, companyId: string, id: string): Promise<BookableMeetingType | undefined> {
  return db
    .selectFrom('meeting_types')
    .select(['id', 'user_id', 'enabled', 'name', 'description', 'duration', 'channel', 'buffer_before', 'buffer_after', 'meeting_info', 'meeting_options', 'locations'])
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
