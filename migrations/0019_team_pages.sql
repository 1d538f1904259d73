-- Team booking pages live at /team/{teamSlug}/{meetingTypeSlug} (spec §1.1). Termin's team is the
-- company: it is the one workspace every queue belongs to (a queue's workspaceId is the company id),
-- so the team slug is the company's slug and the team's name is the company's name. Every company
-- gets one: existing companies now, new ones from a trigger, so no code that creates companies
-- has to know about it.

ALTER TABLE companies ADD COLUMN slug text;

-- "ACME GmbH" → "acme-gmbh"; taken → "acme-gmbh-2", "-3", …
CREATE FUNCTION termin_company_slug(name text, own uuid) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  base text := left(coalesce(nullif(trim(both '-' from regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), ''), 'team'), 60);
  candidate text := base;
  n integer := 1;
BEGIN
  base := trim(both '-' from base);
  candidate := base;
  WHILE EXISTS (SELECT 1 FROM companies WHERE slug = candidate AND id <> own) LOOP
    n := n + 1;
    candidate := base || '-' || n;
  END LOOP;
  RETURN candidate;
END $$;

-- One statement per company, oldest first, so each sees the slugs given before it.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT id, name FROM companies ORDER BY created_at, id LOOP
    UPDATE companies SET slug = termin_company_slug(r.name, r.id) WHERE id = r.id;
  END LOOP;
END $$;

CREATE FUNCTION termin_company_slug_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.slug IS NULL THEN
    NEW.slug := termin_company_slug(NEW.name, NEW.id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER companies_slug_default BEFORE INSERT ON companies
  FOR EACH ROW EXECUTE FUNCTION termin_company_slug_default();

ALTER TABLE companies ALTER COLUMN slug SET NOT NULL;
-- The guarantee; two companies created at the same instant with the same name: one insert fails.
CREATE UNIQUE INDEX companies_slug ON companies (slug);
