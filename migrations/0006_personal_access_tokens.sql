-- Personal access tokens (spec §1.2): `rgo-` + 32 characters, owned by one user and acting as that
-- user. Only a SHA-256 of the token is stored. `scopes` NULL means every capability group; a
-- list limits the token to those groups. A user's live tokens have distinct names (the contract's
-- "needs a unique name"); a revoked token frees its name.
CREATE TABLE personal_access_tokens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    uuid NOT NULL REFERENCES companies(id),
  user_id       uuid NOT NULL REFERENCES users(id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash    text NOT NULL UNIQUE,
  prefix        text NOT NULL,
  scopes        text[],
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX personal_access_tokens_name_unique
  ON personal_access_tokens (user_id, lower(name)) WHERE revoked_at IS NULL;
CREATE INDEX personal_access_tokens_company ON personal_access_tokens (company_id, user_id);
