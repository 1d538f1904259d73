// A stored meeting type as the API shows it (spec §4.4): nested meetingInfo and meetingOptions,
// the effective slot interval, reminders and the public booking URL. Pure.
import type { MeetingTypeRow } from './meeting-types.repo.ts';

export interface MeetingTypeJson {
  id: string;
  slug: string;
  enabled: boolean;
  userId: string;
  companyId: string;
  availabilityId: string;
  meetingInfo: {
    name: unknown;
    description: unknown;
    duration: number;
    channel: string;
    bufferBefore: number;
    bufferAfter: number;
    [extra: string]: unknown;
  };
  meetingOptions: {
    allowedDurations: number[];
    allowedChannels: string[];
    allowAddingGuests: boolean;
    doubleOptIn: string;
    requireHostConfirmation: string;
    [extra: string]: unknown;
  };
  timeslotInterval: number;
  bookingMinimum: number;
  daysIntoFuture: unknown;
  spots: number;
  locations: string[];
  metadata: Record<string, string>;
  /** Reminder emails to attendees, in minutes before the start. */
  reminderMinutes: number[];
  bookingUrl: string;
  queueId: string | null;
  createdAt: string;
  updatedAt: string;
}

export function meetingTypeJson(row: MeetingTypeRow, bookingUrl: string, queueId: string | null = null): MeetingTypeJson {
  const info = row.meeting_info as Record<string, unknown>;
  const options = row.meeting_options as Record<string, unknown>;
  return {
    id: row.id,
    slug: row.slug,
    enabled: row.enabled,
    userId: row.user_id,
    companyId: row.company_id,
    availabilityId: row.availability_id,
    meetingInfo: {
      customChannelName: null,
      customChannelLink: null,
      ...info,
      name: info.name ?? row.name,
      description: info.description ?? row.description,
      duration: row.duration,
      channel: row.channel,
      bufferBefore: row.buffer_before,
      bufferAfter: row.buffer_after,
    },
    meetingOptions: {
      ...options,
      allowedDurations: (options.allowedDurations as number[] | undefined) ?? [],
      allowedChannels: (options.allowedChannels as string[] | undefined) ?? [],
      allowAddingGuests: (options.allowAddingGuests as boolean | undefined) ?? false,
      doubleOptIn: (options.doubleOptIn as string | undefined) ?? 'disabled',
      requireHostConfirmation: (options.requireHostConfirmation as string | undefined) ?? 'disabled',
    },
    timeslotInterval: row.timeslot_interval ?? row.duration,
    bookingMinimum: row.booking_minimum,
    daysIntoFuture: row.days_into_future,
    spots: row.spots,
    locations: row.locations,
    metadata: row.metadata,
    reminderMinutes: row.reminder_minutes,
    bookingUrl,
    queueId,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
