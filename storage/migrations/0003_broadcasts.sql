-- Campaigns and prevention tips pushed to ambassadors: the plan (broadcasts), each time it
-- runs (occurrences), one row per recipient and occurrence (deliveries), which tips each
-- ambassador has had, and the coordinators' half-finished Telegram drafts.
-- Times are ISO 8601 in UTC, except occurrences.scheduled_for: the local wall time in the
-- broadcast's time zone, so that an autumn night's repeated 02:30 is one occurrence.

CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    text TEXT,
    tip_topic TEXT,
    areas TEXT NOT NULL DEFAULT '[]',
    channel TEXT NOT NULL DEFAULT 'all' CHECK (channel IN ('all', 'telegram', 'sms')),
    schedule_kind TEXT NOT NULL CHECK (schedule_kind IN ('now', 'once', 'rhythm')),
    run_at TEXT,
    rhythm TEXT,
    starts_at TEXT,
    ends_at TEXT,
    timezone TEXT NOT NULL DEFAULT 'Europe/Copenhagen',
    status TEXT NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'done', 'cancelled')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    cancelled_at TEXT,
    CHECK ((text IS NULL) != (tip_topic IS NULL))
);
CREATE INDEX broadcasts_status ON broadcasts (status, id);

CREATE TABLE broadcast_occurrences (
    id INTEGER PRIMARY KEY,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    scheduled_for TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'missed')),
    created_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (broadcast_id, scheduled_for)
);
CREATE INDEX broadcast_occurrences_open ON broadcast_occurrences (status, id);

CREATE TABLE broadcast_deliveries (
    id INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES broadcast_occurrences (id),
    ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'skipped')),
    reason TEXT,
    tip_id TEXT,
    message_id INTEGER REFERENCES messages (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    answered_at TEXT,
    UNIQUE (occurrence_id, ambassador_id)
);
CREATE INDEX broadcast_deliveries_ambassador ON broadcast_deliveries (ambassador_id, id);
CREATE INDEX broadcast_deliveries_message ON broadcast_deliveries (message_id);

CREATE TABLE tips_received (
    ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id),
    tip_id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (ambassador_id, tip_id)
);

CREATE TABLE broadcast_drafts (
    user_id INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
