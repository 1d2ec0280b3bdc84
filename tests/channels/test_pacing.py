"""Pacing's bookkeeping: a token not used is given back, and a sender's share of a window."""

from __future__ import annotations

import asyncio

from bot.pacing import Pacer, SenderShare, WindowPacer


async def test_a_token_given_back_does_not_count_as_a_send() -> None:
    group = WindowPacer(limit=3, period=60)
    await group.acquire_urgent()
    await group.acquire_urgent()
    group.refund()  # the second found nothing to send
    assert group.used() == 1
    overall = Pacer(per_second=1)
    await overall.acquire()
    overall.refund()
    async with asyncio.timeout(0.5):  # a second's wait if the unused slot still counted
        await overall.acquire()


async def test_a_sender_past_their_share_is_full_until_the_window_moves_on() -> None:
    share = SenderShare(limit=2, period=60)
    assert share.full() == frozenset() and share.next_free() is None
    share.count("amb:1")
    share.count("amb:2")
    assert share.full() == frozenset()
    share.count("amb:1")
    share.count("")  # general notices belong to nobody and have no share
    assert share.full() == frozenset({"amb:1"})
    free = share.next_free()
    assert free is not None and 59 < free <= 60


async def test_a_send_counts_in_the_window_from_its_answer() -> None:
    """A paced worker takes its token, then claims an item and sends it: the platform counts
    the send later than the token, so the window counts it from the answer."""
    loop = asyncio.get_running_loop()
    window = WindowPacer(limit=3, period=60)
    early = await window.acquire()
    await window.acquire_urgent()
    going = loop.time()
    window.sent(early)
    assert window.used() == 2  # moved, not added
    stamps = list(window._sent)
    assert stamps == sorted(stamps) and stamps[-1] >= going  # the early send now counts late
    window.sent(early)  # a token already moved (or out of the window) changes nothing
    assert window.used() == 2
    overall = Pacer(per_second=1000)
    overall.sent(await overall.acquire())  # a steady pace has no window: nothing to move
