"""One transaction's view of the database: every repository on the same connection.

`Database.transaction()` hands one out; whatever the flows write through it commits or rolls
back together (it implements `flows.ports.Tx`).
"""

from __future__ import annotations

import sqlite3

from flows.model import Outbound
from storage.ambassadors import Ambassadors
from storage.audit import Audit
from storage.broadcasts import Broadcasts
from storage.figures import Figures
from storage.held import Held
from storage.invitations import Invitations
from storage.kv import KeyValue, Maintenance
from storage.limits import Limits
from storage.messages import Corrections, Messages
from storage.privacy import Privacy
from storage.pulse import Pulses
from storage.queues import InboxQueue, OutboxQueue
from storage.sms import SmsLog
from storage.strangers import Strangers
from storage.threads import Threads


class Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.touched_lanes: set[tuple[str, str]] = set()
        self.urgent_added: list[tuple[int, Outbound]] = []
        self.ambassadors = Ambassadors(conn)
        self.invitations = Invitations(conn)
        self.messages = Messages(conn)
        self.corrections = Corrections(conn)
        self.threads = Threads(conn)
        self.inbox = InboxQueue(conn)
        self.outbox = OutboxQueue(conn, self.touched_lanes, self.urgent_added)
        self.audit = Audit(conn)
        self.kv = KeyValue(conn)
        self.strangers = Strangers(conn)
        self.sms = SmsLog(conn)
        self.broadcasts = Broadcasts(conn)
        self.maintenance = Maintenance(conn)
        self.limits = Limits(conn)
        self.pulses = Pulses(conn)
        self.held = Held(conn)
        self.figures = Figures(conn)
        self.privacy = Privacy(conn)
