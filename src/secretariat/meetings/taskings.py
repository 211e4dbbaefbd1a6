"""Finding the tasks in a decision's words: "Requests the Chairmanship to prepare a road map by
its next meeting" is a task for the Chairmanship, due by the body's next meeting.

Pure functions over text (no database): the caller turns what is found into proposed taskings
the secretariat confirms or dismisses, so a phrase read wrongly never becomes a mandate alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# The verbs of tasking in decisions (English; third person and the imperative of a heading).
_VERBS = (
    r"request(?:s|ed)?|task(?:s|ed)?|instruct(?:s|ed)?|mandate(?:s|d)?|entrust(?:s|ed)?"
    r"|invite(?:s|d)?|call(?:s)?\s+(?:up)?on|encourage(?:s|d)?|ask(?:s|ed)?|direct(?:s|ed)?"
)
# Who can be tasked, and the mandate's kind of assignee (body codes resolve a body).
_ADDRESSEES: tuple[tuple[str, str, str], ...] = (
    (r"(?:CICA\s+)?Chairmanship|Chair(?:person|man)?", "chairmanship", ""),
    (r"(?:CICA\s+)?Secretariat|Executive\s+Director", "secretariat", ""),
    (r"(?:ASEM\s+)?coordinators?|co-?coordinators?", "coordinator", ""),
    (r"lead\s+countr(?:y|ies)|coordinating\s+countr(?:y|ies)", "lead_country", ""),
    (r"Senior\s+Officials'?\s+Committee|SOC", "body", "SOC"),
    (r"Special\s+Working\s+Group|SWG", "body", "SWG"),
    (r"Ministerial\s+Council|MC", "body", "MC"),
    (r"(?:ICT\s+)?Working\s+Group\s+on\s+[A-Z][\w\s-]*?|ICT-WG", "body", "ICT-WG"),
)
_ADDRESSEE_RE = "|".join(f"(?P<a{n}>{pattern})" for n, (pattern, _, _) in enumerate(_ADDRESSEES))
TASK_RE = re.compile(
    rf"\b(?P<verb>{_VERBS})\s+(?:the\s+)?(?:{_ADDRESSEE_RE})\s+"
    r"(?:to|with)\s+(?P<task>[^.;]{3,}?)\s*(?=[.;]|$)",
    re.IGNORECASE,
)
_MONTHS = {
    m: n
    for n, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_DATE_RE = re.compile(
    r"\b(?:by|before|no later than)\s+(?:(?P<day>\d{1,2})\s+)?"
    r"(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_NEXT_RE = re.compile(
    r"\b(?:by|at|to|for|before)\s+(?:the|its)\s+next\s+(?:meeting|session)"
    r"(?:\s+of\s+the\s+(?P<body>Senior\s+Officials'?\s+Committee|SOC|Special\s+Working\s+Group"
    r"|SWG|Ministerial\s+Council|MC))?",
    re.IGNORECASE,
)
_BODY_WORDS = {"soc": "SOC", "swg": "SWG", "mc": "MC"}


@dataclass(frozen=True)
class FoundTask:
    assignee: str  # one of Tasking.Assignee's values
    body_code: str  # the tasked body's code when assignee == "body"
    task: str  # the clause, from the verb to the end of the sentence
    due_on: date | None
    due_body_code: str  # "" = the deciding body's next meeting (when no date is found)


def _body_code(words: str) -> str:
    key = re.sub(r"\s+", " ", words.strip().lower()).replace("'", "")
    if key in _BODY_WORDS:
        return _BODY_WORDS[key]
    if key.startswith("senior"):
        return "SOC"
    if key.startswith("special"):
        return "SWG"
    if key.startswith("ministerial"):
        return "MC"
    return ""


def _last_day(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _due_date(clause: str) -> date | None:
    match = _DATE_RE.search(clause)
    if not match:
        return None
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        return None
    year = int(match["year"])
    if not 1900 <= year <= 2200:
        return None
    day = int(match["day"]) if match["day"] else _last_day(year, month)
    if not 1 <= day <= _last_day(year, month):
        return None
    return date(year, month, day)


def find_tasks(text: str) -> list[FoundTask]:
    """Every tasking clause of `text`, in order, without repeats."""
    found: list[FoundTask] = []
    seen: set[tuple[str, str, str]] = set()
    for match in TASK_RE.finditer(text or ""):
        n = next(int(k[1:]) for k, v in match.groupdict().items() if k.startswith("a") and v)
        _, assignee, code = _ADDRESSEES[n]
        clause = re.sub(r"\s+", " ", match.group(0)).strip()
        due_on = _due_date(clause)
        nxt = _NEXT_RE.search(clause)
        due_body = _body_code(nxt["body"]) if nxt and nxt["body"] else ""
        key = (assignee, code, clause.lower())
        if key in seen:
            continue
        seen.add(key)
        found.append(FoundTask(assignee, code, clause[:2000], due_on, due_body))
    return found


def operative_paragraphs(paragraphs: list[tuple[str | None, str]]) -> list[str]:
    """The operative paragraphs of an adopted text given as (label, text): those labelled OP...
    or numbered; all of them when the text has no such labels."""
    ops = [
        text
        for label, text in paragraphs
        if label and (label.upper().startswith("OP") or label.rstrip(".").isdigit())
    ]
    return ops or [text for _, text in paragraphs]
