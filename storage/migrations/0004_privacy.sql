-- Data protection: the retention purge and the audit log's readers look rows up by time,
-- and codes that earlier versions kept in clear are removed.

CREATE INDEX audit_at ON audit (at);
CREATE INDEX inbox_received_at ON inbox (received_at);
CREATE INDEX outbox_done_at ON outbox (status, done_at);
CREATE INDEX messages_created_at ON messages (created_at);

-- Invitation links and codes in answers already sent to officers (new ones are sealed, see
-- flows/sealed.py), and codes in invitation links opened (new ones are kept as a hash).
UPDATE outbox SET payload = json_set(payload, '$.text', '(invitation: code removed)')
 WHERE status IN ('sent', 'failed') AND instr(payload, '?start=') > 0;
UPDATE inbox SET payload = json_set(payload, '$.args', '')
 WHERE kind = 'ambassador' AND json_extract(payload, '$.command') = 'start'
   AND status <> 'received';
