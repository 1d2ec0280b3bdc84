-- The outbox keeps each chat's messages in order and serves senders in turn.
-- chat_key: the conversation an item belongs to (an ambassador's chat, or an ambassador's
-- thread in the officers' group); an item is sent only when nothing earlier and at least as
-- urgent for the same conversation is waiting or in flight.
-- fair_tag: start-time fair queueing within a priority, so one sender who writes a thousand
-- messages cannot hold back another sender's alert or relay.

ALTER TABLE outbox ADD COLUMN chat_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN fair_tag INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET chat_key = CASE
    WHEN lane = 'ambassador' THEN address
    WHEN json_extract(payload, '$.ambassador_id') IS NOT NULL
        THEN 'amb:' || json_extract(payload, '$.ambassador_id')
    ELSE '' END;
DROP INDEX outbox_due;
CREATE INDEX outbox_next ON outbox (lane, channel, status, priority, fair_tag, id);
CREATE INDEX outbox_chat ON outbox (lane, channel, chat_key, status, id);
CREATE INDEX outbox_due_time ON outbox (lane, channel, status, next_attempt_at);

-- Per (lane, channel, priority): the fair-queueing clock, and each sender's last tag.
CREATE TABLE outbox_clock (
    lane TEXT NOT NULL,
    channel TEXT NOT NULL,
    priority INTEGER NOT NULL,
    vtime INTEGER NOT NULL,
    PRIMARY KEY (lane, channel, priority)
) WITHOUT ROWID;
CREATE TABLE outbox_senders (
    lane TEXT NOT NULL,
    channel TEXT NOT NULL,
    priority INTEGER NOT NULL,
    chat_key TEXT NOT NULL,
    last_tag INTEGER NOT NULL,
    PRIMARY KEY (lane, channel, priority, chat_key)
) WITHOUT ROWID;

-- The inbox hands acute arrivals to the flows before ordinary ones.
ALTER TABLE inbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 50;
DROP INDEX inbox_pending;
CREATE INDEX inbox_pending ON inbox (status, priority, id);

-- The preview and the register read by area.
CREATE INDEX ambassadors_area ON ambassadors (area_id, state);

-- Health reads how much waits, and since when, without reading the whole table.
CREATE INDEX outbox_status ON outbox (status, id);

-- A forum topic is recorded as requested before it is created, so an answer lost on the way
-- back does not lead to a second topic for the same ambassador.
CREATE TABLE topic_requests (
    ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id),
    chat_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    PRIMARY KEY (ambassador_id, chat_id)
);

-- Arrivals that could not be stored however often they were tried (malformed input), kept
-- aside for the operator so that they hold up nothing behind them.
CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL,
    raw TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Counters for rate limits (a stranger's 112 answers, invitation-code guesses, flood notices).
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL
) WITHOUT ROWID;
