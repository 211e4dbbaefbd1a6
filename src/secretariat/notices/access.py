"""Who may do what with notices, on top of the forum's access policy."""

from __future__ import annotations

from typing import Any

from secretariat.accounts import access


def can_post_notice(user: Any) -> bool:
    """Every member of the forum may post a notice; observers only read."""
    return access.can_contribute(user)
