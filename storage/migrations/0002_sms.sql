-- SMS: what each SMS cost (segments, encoding) and its delivery status from Twilio.

ALTER TABLE messages ADD COLUMN segments INTEGER;
ALTER TABLE messages ADD COLUMN encoding TEXT;
CREATE INDEX messages_platform_id ON messages (platform_id);

-- Every SMS handed to Twilio, one row per Twilio message (a long text may go as several).
-- A status callback can arrive before the sender has recorded the row: it then creates the
-- row with its status alone, and the sender fills in the rest.
CREATE TABLE sms_messages (
    sid TEXT PRIMARY KEY,
    kind TEXT,
    ambassador_id INTEGER REFERENCES ambassadors (id),
    message_id INTEGER REFERENCES messages (id),
    part INTEGER,
    parts INTEGER,
    segments INTEGER,
    encoding TEXT,
    status TEXT NOT NULL,
    error_code INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sms_messages_message ON sms_messages (message_id);
