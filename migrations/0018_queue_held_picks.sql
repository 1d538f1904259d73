-- Round-robin fairness counts live holds (provisional appointments awaiting confirmation) toward a
-- member's turn, beside active bookings. The count runs under the queue's lock on every team
-- booking; 0011's index covers only active rows, so held ones get their own (a few rows at most:
-- a hold leaves 'provisional' when it is confirmed, declined or expired). Without it PostgreSQL
-- drives the count from every tenant's pending holds (provisional_bookings_due): measured with
-- 5,400 pending holds in the database, 200-240 ms per count; with it, 27-48 ms (load ~11).
CREATE INDEX appointments_queue_held ON appointments (queue_id, queue_pick, created_at) WHERE status = 'provisional';
