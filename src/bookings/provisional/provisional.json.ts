// The provisional booking as the API and the webhooks show it (spec §4.8). Pure: rows in, JSON out.
import type { HeldAppointment, HeldHost, ProvisionalRow } from './provisional.repo.ts';
import type { ProvisionalBookingJson } from './provisional.schemas.ts';

export function toProvisionalJson(row: ProvisionalRow, appointment: HeldAppointment | undefined, hosts: readonly HeldHost[]): ProvisionalBookingJson {
  const entries = appointment?.round_robin_entries ?? [];
  const entry = entries[entries.length - 1];
  return {
    id: row.id,
    dto: row.dto,
    type: row.type,
    status: row.status,
    awaiting: row.awaiting,
    createdAt: row.created_at.toISOString(),
    deletedAt: null,
    expiresAt: row.expires_at.toISOString(),
    start: (appointment?.start_at ?? new Date(0)).toISOString(),
    end: (appointment?.end_at ?? new Date(0)).toISOString(),
    appointmentId: row.status === 'confirmed' ? row.appointment_id : null,
    declineReason: row.decline_reason,
    hosts: hosts.map((h) => ({ id: h.id, givenName: h.given_name, familyName: h.family_name, slug: h.slug, userType: h.user_type, picture: null })),
    meetingTypeId: row.meeting_type_id,
    queueBookingInfo: entry ? { userIds: hosts.map((h) => h.id), selectionReason: entry.selectionReason, groupId: entry.groupId } : null,
  };
}
