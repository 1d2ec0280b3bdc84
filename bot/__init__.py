"""Composition root, configuration, channel adapters, web server and command line."""

import os

# python-telegram-bot 22 gives RetryAfter.retry_after as a timedelta only with this set (the
# int form is deprecated and warns); our code reads either.
os.environ.setdefault("PTB_TIMEDELTA", "true")
