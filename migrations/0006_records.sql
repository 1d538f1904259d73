-- The remaining documented records (spec §2.1): an appointment's transcript and summary (AP9),
-- meeting-type templates (MT6), pending attendees (AT3/AT4), and an index that lets quick mails
-- (AT2) be counted per sender for their limit of 5 per 5 minutes.

-- Supplied by the caller (meetergo does not record calls); markdown; NULL when cleared.
ALTER TABLE appointments ADD COLUMN transcription text, ADD COLUMN summary text;

CREATE TABLE meeting_type_templates (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id       uuid NOT NULL REFERENCES companies(id),
  created_by       uuid REFERENCES users(id),
  template_type    text NOT NULL DEFAULT 'individual',
  queue_type       text,
  -- meetingInfo, meetingOptions, spots, locations as given; applied when a meeting type is created from it
  document         jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz
);
CREATE INDEX meeting_type_templates_company ON meeting_type_templates (company_id, created_at) WHERE deleted_at IS NULL;

-- A form in progress: the attendee's answers before a booking exists. The id is a number (the
-- contract's `attendeePendingId`). Only the newest 99 of a company are listed.
CREATE TABLE attendees_pending (
  id          bigserial PRIMARY KEY,
  company_id  uuid NOT NULL REFERENCES companies(id),
  user_id     uuid REFERENCES users(id),
  attendee    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attendees_pending_company ON attendees_pending (company_id, id DESC);

CREATE INDEX email_jobs_quick_mail_sender ON email_jobs ((payload->>'senderId'), created_at) WHERE kind = 'quick_mail';
