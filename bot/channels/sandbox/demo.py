"""The sandbox's built-in district, used when `tryghedsbot run` finds no configuration."""

from __future__ import annotations

from bot.config import Config, parse_config

SANDBOX_GROUP = -100  # the pretend officers' group's chat id
DEMO_BOT = "tryghedsbot_demo"

DEMO_CONFIG = """
[bot]
district_name = "Demo-distrikt"
[telegram]
officers_chat_id = -100
coordinators = [9001]
[web]
host = "127.0.0.1"
port = 8080
[[areas]]
id = "herning"
name = "Herning"
[[areas]]
id = "ikast"
name = "Ikast"
[[officers]]
id = "mj"
name = "Mette Jensen"
telegram_user_id = 1001
areas = ["herning"]
[[officers]]
id = "lp"
name = "Lars Poulsen"
telegram_user_id = 1002
areas = ["ikast"]
"""


def demo_config() -> Config:
    return parse_config(DEMO_CONFIG, "(built-in demo configuration)")
