-- Ambassadors, invitations, the inbox and outbox, messages, officer threads and the audit log.
-- Times are ISO 8601 in UTC.

CREATE TABLE ambassadors (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('telegram', 'sms', 'sandbox')),
    address TEXT NOT NULL,
    name TEXT NOT NULL,
    area_id TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('invited', 'pending', 'active', 'paused')),
    language TEXT NOT NULL DEFAULT 'da',
    agreement_version TEXT,
    accepted_at TEXT,
    unreachable INTEGER NOT NULL DEFAULT 0,
    offhours_notice_at TEXT,
    last_officer_reply_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (channel, address)
);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    area_id TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    phone TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    ambassador_id INTEGER REFERENCES ambassadors (id)
);

-- Everything that arrives is written here first, deduplicated by its platform id.
CREATE TABLE inbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('ambassador', 'officer')),
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'handled', 'failed')),
    received_at TEXT NOT NULL,
    handled_at TEXT,
    error TEXT
);
CREATE INDEX inbox_pending ON inbox (status, id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ambassador_id INTEGER REFERENCES ambassadors (id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    channel TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    media_kind TEXT,
    route TEXT,
    intent TEXT,
    score REAL,
    matched TEXT,
    safety_net INTEGER NOT NULL DEFAULT 0,
    officer_id TEXT,
    status TEXT NOT NULL,
    error TEXT,
    platform_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX messages_ambassador ON messages (ambassador_id, id);

-- One forum topic per ambassador (topics mode).
CREATE TABLE officer_threads (
    ambassador_id INTEGER PRIMARY KEY REFERENCES ambassadors (id),
    chat_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (chat_id, thread_id)
);

-- Which group message belongs to which ambassador, so that replies map back.
CREATE TABLE group_messages (
    chat_id INTEGER NOT NULL,
    group_message_id INTEGER NOT NULL,
    ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id),
    message_id INTEGER REFERENCES messages (id),
    PRIMARY KEY (chat_id, group_message_id)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    lane TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    priority INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    platform_id TEXT,
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX outbox_due ON outbox (lane, channel, status, priority, id);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    details TEXT
);

CREATE TABLE route_corrections (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    route_given TEXT,
    route_corrected TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Small persistent settings: polling offset, the group's detected mode, ...
CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Strangers get the "what is this bot" answer at most once a day.
CREATE TABLE stranger_answers (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (channel, address)
);
