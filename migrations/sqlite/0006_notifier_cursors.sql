-- Domain events are the audit rows of the actions people are told about (submitted, approved,
-- rejected, withdrawn, published, needs_attention, failed): written in the same transaction as
-- the change. Each notifier (the log, Telegram, …) remembers the last event it delivered, so an
-- event is delivered after a crash too, and never skipped.
CREATE TABLE notifier_cursors (
    notifier   TEXT PRIMARY KEY,
    last_event INTEGER NOT NULL
);
CREATE INDEX audit_log_events ON audit_log (id)
    WHERE action IN ('submitted', 'approved', 'rejected', 'withdrawn', 'published', 'needs_attention', 'failed');
