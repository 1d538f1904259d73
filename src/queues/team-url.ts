// Where a team meeting type's public page lives: /team/{teamSlug}/{meetingTypeSlug}. The team is
// the company (its one workspace), so the team slug is the company's (migrations/0019). A
// meeting type's slug is unique per owner, not per company: when an older live team type of the
// company has the same slug, this one's address names it by id, so every address opens its own type.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { MeetingTypeRow } from '../meeting-types/meeting-types.repo.ts';

/** A team type's row as the team page reads it: the type, its queue and its team (company). */
export interface TeamTypeRow {
  meetingType: MeetingTypeRow;
  queueId: string;
  collective: boolean;
  teamSlug: string;
  teamName: string;
}

/** The path (no origin) of a team type's page, or undefined when the type has no queue. */
export async function teamPagePath(db: Executor, companyId: string, meetingType: Pick<MeetingTypeRow, 'id' | 'slug' | 'created_at'>): Promise<string | undefined> {
  const row = await db
    .selectFrom('companies as c')
    .innerJoin('queues as q', (join) => join.on('q.company_id', '=', sql.ref('c.id')).on('q.meeting_type_id', '=', meetingType.id))
    .select('c.slug')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('meeting_types as other')
            .innerJoin('queues as oq', 'oq.meeting_type_id', 'other.id')
            .select('other.id')
            .where('other.company_id', '=', companyId)
            .where('other.slug', '=', meetingType.slug)
            .where('other.deleted_at', 'is', null)
            .where('other.id', '!=', meetingType.id)
            .where((w) =>
              w.or([
                w('other.created_at', '<', meetingType.created_at),
                w.and([w('other.created_at', '=', meetingType.created_at), w('other.id', '<', meetingType.id)]),
              ]),
            ),
        )
        .as('shadowed'),
    )
    .where('c.id', '=', companyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return `/team/${row.slug}/${row.shadowed ? meetingType.id : meetingType.slug}`;
}

/**
 * The live team type behind /team/{teamSlug}/{slug or id} (the oldest team type with a slug wins,
 * as teamPagePath assumes), or a company's team type by id. Disabled types are left to the caller.
 */
export async function findTeamType(
  db: Executor,
  by: { teamSlug: string; slug: string } | { teamSlug: string; id: string } | { companyId: string; id: string },
): Promise<TeamTypeRow | undefined> {
  let query = db
    .selectFrom('companies as c')
    .innerJoin('meeting_types as mt', 'mt.company_id', 'c.id')
    .innerJoin('queues as q', 'q.meeting_type_id', 'mt.id')
    .selectAll('mt')
    .select(['q.id as queue_id', 'q.collective as queue_collective', 'c.slug as team_slug', 'c.name as team_name'])
    .where('mt.deleted_at', 'is', null);
  query = 'teamSlug' in by ? query.where('c.slug', '=', by.teamSlug) : query.where('c.id', '=', by.companyId);
  query = 'slug' in by ? query.where('mt.slug', '=', by.slug) : query.where('mt.id', '=', by.id);
  const row = await query.orderBy('mt.created_at').orderBy('mt.id').executeTakeFirst();
  if (!row) return undefined;
  const { queue_id, queue_collective, team_slug, team_name, ...meetingType } = row;
  return { meetingType: meetingType as MeetingTypeRow, queueId: queue_id, collective: queue_collective, teamSlug: team_slug, teamName: team_name };
}
