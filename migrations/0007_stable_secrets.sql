-- An appointment's secret stays the same for its whole life (seed 001: "Store the secret"), and
-- every answer and webhook that describes the appointment to its company carries it, so Termin
-- must be able to read it back: a sealed copy (AES-256-GCM, the key that seals webhook signing
-- secrets) beside the hash, which stays for finding and checking a presented secret. Rows from
-- before this migration have no sealed copy; they get a new secret, sealed, on their next reschedule.
ALTER TABLE appointments ADD COLUMN secret_sealed text;

-- A webhook body about an appointment carries its secret. The stored body holds none: the sealed
-- copy waits beside it and is opened only to send, so delivery logs hold no readable secret.
ALTER TABLE webhook_deliveries ADD COLUMN secret_sealed text;
