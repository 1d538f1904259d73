-- A user's email is unique within their company, not platform-wide: a platform-wide index made
-- "create user" answer 409 for an address another company uses, which told one tenant about
-- another's people. Sign-in is by API key, so nothing looks a user up by email across companies.
-- The index keeps its name: the code maps that name to the 409 for a repeat within one company.
DROP INDEX users_email_unique;
CREATE UNIQUE INDEX users_email_unique ON users (company_id, lower(email)) WHERE deleted_at IS NULL;
