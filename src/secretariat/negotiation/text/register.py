"""The register of delegation codes and their aliases (an input of the engine)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_REGISTER_PATH = Path(__file__).resolve().parents[2] / "demo" / "cica_register.json"


@dataclass
class Register:
    """Codes and aliases; ``resolve`` maps any spelling in use to the canonical code."""

    aliases: dict[str, str] = field(default_factory=dict)  # spelling -> canonical code
    names: dict[str, str] = field(default_factory=dict)  # canonical code -> English name

    @classmethod
    def load(cls, path: str | Path) -> Register:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Register:
        reg = cls()
        for entry in data.get("delegations", []):
            code = str(entry["code"])
            reg.add(code, entry.get("aliases", ()), entry.get("name_en"))
        return reg

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> Register:
        """Build from ``{alias: canonical}`` (canonical codes map to themselves implicitly)."""
        reg = cls()
        for alias, code in mapping.items():
            reg.add(code, (alias,))
        return reg

    @classmethod
    def default(cls) -> Register:
        return _default_register()

    def add(self, code: str, aliases: Iterable[str] = (), name: str | None = None) -> None:
        self.aliases[code] = code
        for alias in aliases:
            self.aliases[alias] = code
        if name:
            self.names[code] = name

    def merged(self, other: Register) -> Register:
        """A copy with ``other``'s spellings added where this register has none."""
        return Register({**other.aliases, **self.aliases}, {**other.names, **self.names})

    def resolve(self, spelling: str) -> str | None:
        return self.aliases.get(spelling)

    def __contains__(self, spelling: object) -> bool:
        return spelling in self.aliases

    def name(self, code: str) -> str:
        return self.names.get(code, code)


@lru_cache(maxsize=1)
def _default_register() -> Register:
    return Register.load(DEFAULT_REGISTER_PATH)


def as_register(value: Register | Mapping[str, str] | str | Path | None) -> Register:
    """Accept a Register, an alias mapping, a JSON path, or None (the demo forum's register)."""
    if value is None:
        return Register.default()
    if isinstance(value, Register):
        return value
    if isinstance(value, str | Path):
        return Register.load(value)
    return Register.from_mapping(value)
