-- Public booking pages: each user's personal-page branding (spec M3) and one-time booking links
-- (spec M2).

-- One row per user who changed their page; a user without a row gets the defaults.
CREATE TABLE personal_pages (
  user_id     uuid PRIMARY KEY REFERENCES users(id),
  company_id  uuid NOT NULL REFERENCES companies(id),
  settings    jsonb NOT NULL DEFAULT '{}',
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A link that books its meeting type once. The page claims it with
-- `UPDATE … SET used_at = now() WHERE used_at IS NULL`, so under any concurrency exactly one
-- booking wins; the token is random and stored hashed like appointment secrets.
CREATE TABLE one_time_links (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id       uuid NOT NULL REFERENCES companies(id),
  meeting_type_id  uuid NOT NULL REFERENCES meeting_types(id),
  token_hash       text NOT NULL UNIQUE,
  created_by       uuid REFERENCES users(id),
  used_at          timestamptz,
  appointment_id   uuid,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX one_time_links_meeting_type ON one_time_links (meeting_type_id);
