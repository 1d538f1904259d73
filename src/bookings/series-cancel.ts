// `cancelEntireSeries: true` (seed 002: "cancels all future occurrences in addition to this one"):
// the occurrences of the series after this one are cancelled in the cancel's own transaction, each
// with its own `booking_cancelled`. Earlier occurrences, past ones among them, stay as they are.
import type { Tx } from '../db/database.ts';
import type { AppointmentCancel } from '../db/schema.ts';
import { withoutSecrets } from '../outbox/event-payload.ts';
import { enqueueEvent } from '../outbox/outbox.repo.ts';
import type { AppointmentPresenter } from './appointment.presenter.ts';
import { type AppointmentRow, markCancelled } from './appointments.repo.ts';

/** Cancels the still-standing occurrences after `row` (locked in start order); returns how many. */
export async function cancelLaterInSeries(
  tx: Tx,
  presenter: AppointmentPresenter,
  row: AppointmentRow,
  change: { cancel: AppointmentCancel; notifyAttendees: boolean; now: Date },
): Promise<number> {
  if (row.series_id === null) return 0;
  const later = await tx
    .selectFrom('appointments')
    .select('id')
    .where('company_id', '=', row.company_id)
    .where('series_id', '=', row.series_id)
    .where('start_at', '>', row.start_at)
    .where('status', 'in', ['active', 'provisional'])
    .orderBy('start_at')
    .forUpdate()
    .execute();
  if (later.length === 0) return 0;
  const ids = later.map((r) => r.id);
  for (const id of ids) await markCancelled(tx, id, change.cancel, change.now);
  const rows = await tx.selectFrom('appointments').selectAll().where('id', 'in', ids).orderBy('start_at').execute();
  const presented = await presenter.present(tx, rows);
  for (const data of presented) {
    const payload = { data: withoutSecrets(data), notifyAttendees: change.notifyAttendees };
    await enqueueEvent(tx, { companyId: row.company_id, type: 'booking_cancelled', subjectId: data.id, payload });
  }
  return ids.length;
}
