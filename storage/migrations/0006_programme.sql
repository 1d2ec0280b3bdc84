-- Running the programme: the ambassador register (names given at invitation, revoked
-- invitations, ended partnerships, a history of each ambassador's state, area and officer),
-- case handling (answered, handled, reminded), signed pushes and tryghed pulse surveys, and
-- messages held back until a new agreement version is accepted.
-- Times are ISO 8601 in UTC.

-- SQLite cannot widen the state CHECK of `ambassadors` without rebuilding the table, which
-- its foreign keys forbid inside a migration. An ended partnership is therefore stored as
-- state 'paused' with ended_at set; storage/ambassadors.py reads that as 'ended'.
ALTER TABLE ambassadors ADD COLUMN ended_at TEXT;

-- Who was where, when: one row per change of state, area or officer, so figures count an
-- ambassador in the area (and as active) they were in at the time, not where they are now.
CREATE TABLE ambassador_history (
    id INTEGER PRIMARY KEY,
    ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id),
    state TEXT NOT NULL,
    area_id TEXT NOT NULL,
    officer_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX ambassador_history_at ON ambassador_history (ambassador_id, at);
INSERT INTO ambassador_history (ambassador_id, state, area_id, officer_id, at)
    SELECT id, state, area_id, officer_id, COALESCE(accepted_at, created_at) FROM ambassadors;

ALTER TABLE invitations ADD COLUMN name TEXT;
ALTER TABLE invitations ADD COLUMN revoked_at TEXT;

-- Cases: when an officer first answered a message, and when someone marked it handled.
ALTER TABLE messages ADD COLUMN answered_at TEXT;
ALTER TABLE messages ADD COLUMN handled_at TEXT;
ALTER TABLE messages ADD COLUMN handled_by TEXT;
ALTER TABLE messages ADD COLUMN reminded_at TEXT;
CREATE INDEX messages_open ON messages (direction, handled_at, created_at);

-- Pushes are signed by their author; a pulse is a push that asks a 1-5 question.
ALTER TABLE broadcasts ADD COLUMN kind TEXT NOT NULL DEFAULT 'push';
ALTER TABLE broadcasts ADD COLUMN author TEXT;

-- One answer per ambassador and pulse occurrence (the delivery that carried the question).
CREATE TABLE pulse_answers (
    delivery_id INTEGER PRIMARY KEY REFERENCES broadcast_deliveries (id),
    occurrence_id INTEGER NOT NULL REFERENCES broadcast_occurrences (id),
    ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id),
    area_id TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    answered_at TEXT NOT NULL
);
CREATE INDEX pulse_answers_occurrence ON pulse_answers (occurrence_id);

-- Messages that wait for the ambassador to accept a new agreement version.
CREATE TABLE held_arrivals (
    id INTEGER PRIMARY KEY,
    ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id),
    payload TEXT NOT NULL,
    held_at TEXT NOT NULL
);
CREATE INDEX held_arrivals_ambassador ON held_arrivals (ambassador_id, id);
