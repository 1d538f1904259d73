// The question bookings ask slot search: "would GET /v4/booking-availability offer this start right
// now?" Bookings depend on this interface, not on the slot engine's internals.

export interface SlotQuestion {
  companyId: string;
  meetingTypeId: string;
  hostIds: string[];
  start: Date;
  /** Minutes; the meeting type's duration when absent. */
  duration?: number;
  /** An appointment whose own time does not block (rescheduling it). */
  excludeAppointmentId?: string;
  calculationMethod?: 'anyone' | 'everyone';
}

export interface SlotOracle {
  isOffered(question: SlotQuestion): Promise<boolean>;
}
