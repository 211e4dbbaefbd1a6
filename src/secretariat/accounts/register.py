"""The forum's register of delegation codes and aliases, as the text engine takes it."""

from __future__ import annotations

from secretariat.accounts.models import Delegation, DelegationAlias


def code_mapping() -> dict[str, str]:
    """Every code and alias (upper case) -> the delegation's canonical code."""
    mapping = {code: code for code in Delegation.objects.values_list("code", flat=True)}
    for alias, code in DelegationAlias.objects.values_list("alias", "delegation__code"):
        mapping[alias.upper()] = code
    return mapping
