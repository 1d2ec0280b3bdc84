"""Phone numbers in E.164, so "20 12 34 56", "+45 20123456" and "004520123456" are one person."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "DK"


class PhoneError(ValueError):
    pass


def normalise_phone(raw: str, region: str = DEFAULT_REGION, *, strict: bool = True) -> str:
    """E.164 for any way of writing a number. `strict=False` accepts every number of a
    possible length: for numbers Twilio gives us, where the library's range data may lag."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"not a phone number: {raw!r}") from exc
    valid = phonenumbers.is_valid_number if strict else phonenumbers.is_possible_number
    if not valid(number):
        raise PhoneError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """For logs: enough to tell numbers apart, not enough to call them."""
    return e164[:3] + "…" + e164[-2:] if len(e164) > 5 else "…"
