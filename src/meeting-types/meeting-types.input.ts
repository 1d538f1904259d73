// A meeting type as the API writes it (nested meetingInfo / meetingOptions) ⇄ the stored row.
// PATCH merges the patch into the current document and checks the whole again, so every rule
// holds after every write. Pure.
import type { DaysIntoFuture } from '../db/schema.ts';
import { invalidField } from '../lib/app-error.ts';
import { slugify } from '../lib/text.ts';
import { DEFAULT_BOOKING_LIMIT_MINUTES, rangeBound } from '../availability/booking-window.ts';
import { type Channel, toChannel } from './channels.ts';
import { checkedRecurring } from './recurring-options.ts';
import type { MeetingTypeRow } from './meeting-types.repo.ts';

type Translatable = string | Record<string, string>;
type TriState = boolean | string;

export interface MeetingInfoInput {
  name?: Translatable;
  description?: Translatable;
  duration?: number;
  channel?: string;
  bufferBefore?: number;
  bufferAfter?: number;
  customChannelName?: string;
  customChannelLink?: string;
  [extra: string]: unknown;
}

export interface MeetingOptionsInput {
  allowedDurations?: number[];
  allowedChannels?: string[];
  allowAddingGuests?: boolean;
  doubleOptIn?: TriState;
  requireHostConfirmation?: TriState;
  [extra: string]: unknown;
}

/** The writable document, as POST takes it and PATCH merges into. */
export interface MeetingTypeDocument {
  meetingInfo?: MeetingInfoInput;
  meetingOptions?: MeetingOptionsInput;
  slug?: string;
  enabled?: boolean;
  timeslotInterval?: number;
  bookingMinimum?: number;
  daysIntoFuture?: DaysIntoFuture;
  spots?: number;
  locations?: string[];
  metadata?: Record<string, string>;
  reminderMinutes?: number[];
  allowPhoneOnlyBooking?: boolean;
}

export const TRI_STATES = ['disabled', 'enabled', 'useCompanySettings'] as const;

// meetingInfo keys kept as given besides the ones with their own columns.
const INFO_EXTRAS = [
  'customChannelName',
  'customChannelLink',
  'color',
  'enableRedirect',
  'redirect',
  'passEventDetailsToRedirect',
  'showAvailableSlots',
  'bufferMustStayWithinWorkingHours',
] as const;

export interface MeetingTypeValues {
  name: string;
  description: string;
  duration: number;
  channel: Channel;
  buffer_before: number;
  buffer_after: number;
  meeting_info: Record<string, unknown>;
  meeting_options: Record<string, unknown>;
  enabled: boolean;
  timeslot_interval: number | null;
  booking_minimum: number;
  days_into_future: DaysIntoFuture;
  spots: number;
  locations: string[];
  metadata: Record<string, string>;
  reminder_minutes: number[];
  /** Only when the document names one; otherwise the service derives it from the name. */
  slug?: string;
}

/** The current row as a document, for PATCH to merge into. */
export function documentOf(row: MeetingTypeRow): MeetingTypeDocument {
  const info = row.meeting_info as Record<string, unknown>;
  return {
    meetingInfo: {
      ...info,
      name: (info.name as Translatable | undefined) ?? row.name,
      description: (info.description as Translatable | undefined) ?? row.description,
      duration: row.duration,
      channel: row.channel,
      bufferBefore: row.buffer_before,
      bufferAfter: row.buffer_after,
    },
    meetingOptions: { ...(row.meeting_options as MeetingOptionsInput) },
    enabled: row.enabled,
    ...(row.timeslot_interval !== null ? { timeslotInterval: row.timeslot_interval } : {}),
    bookingMinimum: row.booking_minimum,
    daysIntoFuture: row.days_into_future,
    spots: row.spots,
    locations: row.locations,
    metadata: row.metadata,
    reminderMinutes: row.reminder_minutes,
  };
}

/** PATCH semantics: sent fields replace, meetingInfo and meetingOptions merge key by key. */
export function mergeDocument(current: MeetingTypeDocument, patch: MeetingTypeDocument): MeetingTypeDocument {
  const defined = <T extends object>(value: T | undefined) =>
    Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    ...current,
    ...defined(patch),
    meetingInfo: { ...current.meetingInfo, ...defined(patch.meetingInfo) },
    meetingOptions: { ...current.meetingOptions, ...defined(patch.meetingOptions) },
  };
}

export function valuesOf(doc: MeetingTypeDocument, zone: string): MeetingTypeValues {
  const info = doc.meetingInfo ?? {};
  const name = textOf(info.name, 'meetingInfo.name', true);
  const duration = info.duration;
  if (duration === undefined) throw invalidField('meetingInfo.duration', 'meetingInfo.duration is required');
  const channel = toChannel(info.channel ?? 'phone');
  if (!channel) throw invalidField('meetingInfo.channel', `meetingInfo.channel "${info.channel}" is not a known channel`);
  if (channel === 'custom' && !info.customChannelLink?.trim()) {
    throw invalidField('meetingInfo.customChannelLink', 'meetingInfo.customChannelLink is required when the channel is custom');
  }
  const extras: Record<string, unknown> = {};
  for (const key of INFO_EXTRAS) if (info[key] !== undefined) extras[key] = info[key];
  if (typeof info.name === 'object') extras.name = info.name;
  if (typeof info.description === 'object') extras.description = info.description;
  const values: MeetingTypeValues = {
    name,
    description: textOf(info.description, 'meetingInfo.description', false),
    duration,
    channel,
    buffer_before: info.bufferBefore ?? 0,
    buffer_after: info.bufferAfter ?? 0,
    meeting_info: extras,
    meeting_options: optionsOf(doc, duration),
    enabled: doc.enabled ?? true,
    timeslot_interval: doc.timeslotInterval ?? null,
    booking_minimum: doc.bookingMinimum ?? 0,
    days_into_future: daysIntoFutureOf(doc.daysIntoFuture, zone),
    spots: doc.spots ?? 1,
    locations: (doc.locations ?? []).map((l) => l.trim()).filter((l) => l.length > 0),
    metadata: doc.metadata ?? {},
    reminder_minutes: [...new Set(doc.reminderMinutes ?? [1440])].sort((a, b) => b - a),
  };
  if (doc.slug !== undefined) values.slug = slugOf(doc.slug);
  return values;
}

export function slugOf(value: string): string {
  const slug = slugify(value);
  if (slug.length === 0) throw invalidField('slug', 'slug must contain letters or digits');
  return slug;
}

function textOf(value: Translatable | undefined, field: string, required: boolean): string {
  const text = typeof value === 'object' ? (value.en ?? Object.values(value)[0]) : value;
  const trimmed = text?.trim() ?? '';
  if (required && trimmed.length === 0) throw invalidField(field, `${field} must not be empty`);
  return trimmed;
}

function optionsOf(doc: MeetingTypeDocument, duration: number): Record<string, unknown> {
  const options = doc.meetingOptions ?? {};
  const allowedChannels = (options.allowedChannels ?? []).map((value, i) => {
    const channel = toChannel(value);
    if (!channel) throw invalidField(`meetingOptions.allowedChannels[${i}]`, `"${value}" is not a known channel`);
    return channel;
  });
  // The type's own duration is always allowed; listing others makes it a choice.
  const listed = options.allowedDurations ?? [];
  const allowedDurations = listed.length === 0 ? [] : [...new Set([duration, ...listed])].sort((a, b) => a - b);
  const recurring = checkedRecurring(options.recurring, doc.spots ?? 1);
  return {
    ...options,
    allowedDurations,
    allowedChannels: [...new Set(allowedChannels)],
    allowAddingGuests: options.allowAddingGuests ?? false,
    doubleOptIn: triState(options.doubleOptIn, 'meetingOptions.doubleOptIn'),
    requireHostConfirmation: triState(options.requireHostConfirmation, 'meetingOptions.requireHostConfirmation'),
    ...(doc.allowPhoneOnlyBooking !== undefined ? { allowPhoneOnlyBooking: doc.allowPhoneOnlyBooking } : {}),
    ...(recurring ? { recurring } : {}),
  };
}

/** `true`/`false` or one of TRI_STATES; stored as the string. */
function triState(value: TriState | undefined, field: string): (typeof TRI_STATES)[number] {
  if (value === undefined || value === false) return 'disabled';
  if (value === true) return 'enabled';
  if ((TRI_STATES as readonly string[]).includes(value)) return value as (typeof TRI_STATES)[number];
  throw invalidField(field, `${field} must be true, false or one of ${TRI_STATES.join(', ')}`);
}

function daysIntoFutureOf(value: DaysIntoFuture | undefined, zone: string): DaysIntoFuture {
  if (value === undefined) return { mode: 'limit', bookingLimit: DEFAULT_BOOKING_LIMIT_MINUTES };
  if (value.mode === 'limit') return { mode: 'limit', bookingLimit: value.bookingLimit };
  const min = rangeBound(value.rangeMin, zone, false);
  const max = rangeBound(value.rangeMax, zone, true);
  if (min === undefined) throw invalidField('daysIntoFuture.rangeMin', 'daysIntoFuture.rangeMin must be a date or an ISO 8601 instant');
  if (max === undefined) throw invalidField('daysIntoFuture.rangeMax', 'daysIntoFuture.rangeMax must be a date or an ISO 8601 instant');
  if (max <= min) throw invalidField('daysIntoFuture.rangeMax', 'daysIntoFuture.rangeMax must be after rangeMin');
  return { mode: 'range', rangeMin: value.rangeMin, rangeMax: value.rangeMax };
}
