-- Team meeting types: a queue picks the host (round robin) or books everyone (collective).
-- Members are users or user groups; a group picked makes all its members hosts. Bookings made
-- through a queue remember the queue and whom it picked, so fairness counts are one index scan;
-- a cancelled booking leaves the count (its status is no longer active).

CREATE TABLE queues (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id                uuid NOT NULL REFERENCES companies(id),
  meeting_type_id           uuid NOT NULL UNIQUE REFERENCES meeting_types(id),
  type                      text NOT NULL DEFAULT 'simpleRoundRobin'
                            CHECK (type IN ('simpleRoundRobin', 'advancedRoundRobin', 'equalDistribution')),
  -- every member must be free and all become hosts
  collective                boolean NOT NULL DEFAULT false,
  max_lead_threshold        integer CHECK (max_lead_threshold >= 1),
  distribution_period       text NOT NULL DEFAULT 'month' CHECK (distribution_period IN ('day', 'week', 'month')),
  prioritize_near_term      boolean NOT NULL DEFAULT false,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queues_company ON queues (company_id, created_at);

CREATE TABLE queue_members (
  queue_id     uuid NOT NULL REFERENCES queues(id),
  user_id      uuid NOT NULL REFERENCES users(id),
  company_id   uuid NOT NULL REFERENCES companies(id),
  -- higher is booked first; NULL comes last
  priority     integer,
  capacity     integer NOT NULL DEFAULT 1 CHECK (capacity >= 1),
  custom_link  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (queue_id, user_id)
);

CREATE TABLE queue_user_groups (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  queue_id            uuid NOT NULL REFERENCES queues(id),
  company_id          uuid NOT NULL REFERENCES companies(id),
  name                text NOT NULL,
  capacity            integer NOT NULL DEFAULT 1 CHECK (capacity >= 1),
  main_group_host_id  uuid REFERENCES users(id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz
);
CREATE INDEX queue_user_groups_queue ON queue_user_groups (queue_id);

CREATE TABLE queue_user_group_members (
  group_id    uuid NOT NULL REFERENCES queue_user_groups(id),
  user_id     uuid NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, user_id)
);

ALTER TABLE appointments
  ADD COLUMN queue_id             uuid REFERENCES queues(id),
  -- the member the queue picked: a user id, or a group id when a group was picked
  ADD COLUMN queue_pick           uuid,
  -- [{ id, createdAt, userId, groupId, appointmentId, queueId, selectionReason }] (spec §4.6)
  ADD COLUMN round_robin_entries  jsonb NOT NULL DEFAULT '[]';
CREATE INDEX appointments_queue_pick ON appointments (queue_id, queue_pick, created_at) WHERE status = 'active';
