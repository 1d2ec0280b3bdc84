"""Message classification for Tryghedsbot: acute (112), report (114/politi.dk) or officer.

Pure and synchronous: keyword data ships as TOML inside the package and is read once.
"""

from .classifier import Classifier, classify
from .commands import Keyword, match_keyword, split_command
from .model import Classification, Route
from .normalise import normalise

__all__ = [
    "Classification",
    "Classifier",
    "Keyword",
    "Route",
    "classify",
    "match_keyword",
    "normalise",
    "split_command",
]
