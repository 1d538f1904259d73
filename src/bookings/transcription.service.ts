// An appointment's transcript and summary (spec AP9): markdown the caller supplies — Termin
// records no calls. Only the fields sent change; null clears one.
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import type { AppointmentJson, AppointmentPresenter } from './appointment.presenter.ts';
import * as appointments from './appointments.repo.ts';

export interface TranscriptionInput {
  transcription?: string | null;
  summary?: string | null;
}

export type TranscriptionService = ReturnType<typeof createTranscriptionService>;

export function createTranscriptionService(deps: { db: Db; clock: Clock; presenter: AppointmentPresenter }) {
  const { db, clock, presenter } = deps;

  async function set(companyId: string, id: string, input: TranscriptionInput): Promise<AppointmentJson> {
    return inTransaction(db, async (tx) => {
      const row = isUuid(id) ? await appointments.lockAppointment(tx, companyId, id) : undefined;
      if (!row) throw notFound('Appointment');
      const patch: { transcription?: string | null; summary?: string | null } = {};
      if (input.transcription !== undefined) patch.transcription = blankToNull(input.transcription);
      if (input.summary !== undefined) patch.summary = blankToNull(input.summary);
      if (Object.keys(patch).length === 0) return presenter.presentOne(tx, row);
      await tx.updateTable('appointments').set({ ...patch, updated_at: clock.now() }).where('id', '=', id).execute();
      return presenter.presentOne(tx, { ...row, ...patch, updated_at: clock.now() });
    });
  }

  return { set };
}

function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value;
}
