"""Negotiation histories in an archive package (archive/package.py finds this provider).

Written under `negotiations/<id>/`: `negotiation.json` (the negotiation, every revision's
metadata, the positions recorded, the amendments, the decisions with their statements) and,
per revision, `rev-<N>.txt` (the notation, the source of truth), `rev-<N>.docx` (as the
secretariat downloads it) and `rev-<N>.akn.xml` (Akoma Ntoso 3.0, negotiation/akn.py).

Import matches a negotiation by body, title and the moment it was started (kept from the
source), a revision by its number, a position/amendment/decision by its kind, author code and
moment: importing twice adds nothing. People are matched by user name when the target has
them, left empty otherwise.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from secretariat.accounts.models import Body, User
from secretariat.negotiation import engine
from secretariat.negotiation.akn import revision_akn
from secretariat.negotiation.models import (
    Amendment,
    Decision,
    Negotiation,
    Position,
    Revision,
    Statement,
)

KEY = "negotiations"


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _user(name: str | None) -> User | None:
    return User.objects.filter(username=name).first() if name else None


def _name(user: User | None) -> str | None:
    return user.get_username() if user else None


def export(
    root: Path, *, body: str | None, date_from: date | None, date_to: date | None
) -> dict[str, int]:
    qs = Negotiation.objects.select_related("body").order_by("pk")
    if body:
        qs = qs.filter(body__code=body)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    counts = {"negotiations": 0, "revisions": 0, "positions": 0, "decisions": 0}
    for n in qs:
        folder = root / KEY / str(n.pk)
        folder.mkdir(parents=True)
        revisions = []
        for r in n.revisions.select_related("issued_by").order_by("number"):
            (folder / f"rev-{r.number}.txt").write_text(r.notation, encoding="utf-8")
            draft = engine.draft_of(r)
            (folder / f"rev-{r.number}.docx").write_bytes(engine.write_docx(draft))
            (folder / f"rev-{r.number}.akn.xml").write_bytes(revision_akn(r))
            revisions.append(
                {
                    "number": r.number,
                    "notation": f"rev-{r.number}.txt",
                    "docx": f"rev-{r.number}.docx",
                    "akn": f"rev-{r.number}.akn.xml",
                    "frozen": r.frozen,
                    "issued_at": _dt(r.issued_at),
                    "issued_by": _name(r.issued_by),
                    "note": r.note,
                    "summary": r.summary,
                    "created_at": _dt(r.created_at),
                }
            )
            counts["revisions"] += 1
        positions = list(n.positions.order_by("pk"))
        index = {p.pk: i for i, p in enumerate(positions)}
        data = {
            "id": n.pk,
            "title": n.title,
            "body": n.body.code if n.body else None,
            "access_level": n.access_level,
            "chair_code": n.chair_code,
            "state": n.state,
            "source_name": n.source_name,
            "source_text": n.source_text,
            "diagnostics": n.diagnostics,
            "created_at": _dt(n.created_at),
            "revisions": revisions,
            "positions": [
                {
                    "target_kind": p.target_kind,
                    "target_key": p.target_key,
                    "paragraph_key": p.paragraph_key,
                    "target_text": p.target_text,
                    "delegation": p.delegation_code,
                    "stance": p.stance,
                    "qualifier": p.qualifier,
                    "explanation": p.explanation,
                    "base_version": p.base_version,
                    "compiled_in": p.compiled_in,
                    "superseded_by": index.get(p.superseded_by_id) if p.superseded_by_id else None,
                    "withdrawn_at": _dt(p.withdrawn_at),
                    "created_at": _dt(p.created_at),
                }
                for p in positions
            ],
            "amendments": [
                {
                    "paragraph_key": a.paragraph_key,
                    "paragraph_label": a.paragraph_label,
                    "kind": a.kind,
                    "start": a.start,
                    "end": a.end,
                    "base_text": a.base_text,
                    "base_version": a.base_version,
                    "text": a.text,
                    "new_label": a.new_label,
                    "delegation": a.delegation_code,
                    "explanation": a.explanation,
                    "status": a.status,
                    "created_at": _dt(a.created_at),
                }
                for a in n.amendments.order_by("pk")
            ],
            "decisions": [
                {
                    "kind": d.kind,
                    "revision": d.revision.number,
                    "body": d.body.code,
                    "to_body": d.to_body.code if d.to_body else None,
                    "at": _dt(d.at),
                    "note": d.note,
                    "statements": [
                        {
                            "kind": s.kind,
                            "delegation": s.delegation_code,
                            "paragraph_key": s.paragraph_key,
                            "text": s.text,
                        }
                        for s in d.statements.order_by("pk")
                    ],
                }
                for d in n.decisions.select_related("revision", "body", "to_body").order_by("pk")
            ],
        }
        counts["positions"] += len(positions)
        counts["decisions"] += len(data["decisions"])
        (folder / "negotiation.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        counts["negotiations"] += 1
    return counts


def import_(data: Path) -> dict[str, int]:
    counts = {"negotiations": 0, "revisions": 0, "positions": 0, "decisions": 0}
    folder = data / KEY
    if not folder.is_dir():
        return counts
    bodies = {b.code: b for b in Body.objects.all()}
    for path in sorted(folder.glob("*/negotiation.json"), key=lambda p: int(p.parent.name)):
        item = json.loads(path.read_text(encoding="utf-8"))
        with transaction.atomic():
            _import_one(path.parent, item, bodies, counts)
    return counts


def _body(bodies: dict[str, Body], code: str | None) -> Body | None:
    if code is None:
        return None
    if code not in bodies:
        from secretariat.archive.package import PackageError

        raise PackageError(f"body {code!r} is not in this instance's register")
    return bodies[code]


def _missing(code: str) -> Body:
    from secretariat.archive.package import PackageError

    raise PackageError(f"body {code!r} is not in this instance's register")


def _import_one(
    folder: Path, item: dict[str, Any], bodies: dict[str, Body], counts: dict[str, int]
) -> None:
    created_at = datetime.fromisoformat(item["created_at"])
    body = _body(bodies, item["body"])
    n = Negotiation.objects.filter(title=item["title"], body=body, created_at=created_at).first()
    if n is None:
        n = Negotiation.objects.create(
            title=item["title"],
            body=body,
            access_level=item["access_level"],
            chair_code=item["chair_code"],
            state=item["state"],
            source_name=item["source_name"],
            source_text=item["source_text"],
            diagnostics=item["diagnostics"],
        )
        Negotiation.objects.filter(pk=n.pk).update(created_at=created_at)
        counts["negotiations"] += 1
    revisions = {r.number: r for r in n.revisions.all()}
    for r in item["revisions"]:
        if r["number"] in revisions:
            continue
        notation = (folder / r["notation"]).read_text(encoding="utf-8")
        draft = engine.parse_text(notation)
        revision = Revision.objects.create(
            negotiation=n,
            number=r["number"],
            notation=notation,
            parsed=engine.structure(draft),
            # As stored at the source (a working text's may be empty until it is next changed).
            summary=r["summary"] if "summary" in r else engine.summary(draft).as_json(),
            frozen=r["frozen"],
            issued_at=r["issued_at"],
            issued_by=_user(r["issued_by"]),
            note=r["note"],
        )
        Revision.objects.filter(pk=revision.pk).update(created_at=r["created_at"])
        revisions[r["number"]] = revision
        counts["revisions"] += 1
    made: list[Position] = []
    for p in item["positions"]:
        found = n.positions.filter(
            delegation_code=p["delegation"], target_key=p["target_key"], created_at=p["created_at"]
        ).first()
        if found is None:
            found = Position.objects.create(
                negotiation=n,
                target_kind=p["target_kind"],
                target_key=p["target_key"],
                paragraph_key=p["paragraph_key"],
                target_text=p["target_text"],
                delegation_code=p["delegation"],
                stance=p["stance"],
                qualifier=p["qualifier"],
                explanation=p["explanation"],
                base_version=p["base_version"],
                compiled_in=p["compiled_in"],
                withdrawn_at=p["withdrawn_at"],
            )
            Position.objects.filter(pk=found.pk).update(created_at=p["created_at"])
            counts["positions"] += 1
        made.append(found)
    for p, row in zip(item["positions"], made, strict=True):
        if p["superseded_by"] is not None and row.superseded_by_id is None:
            Position.objects.filter(pk=row.pk).update(superseded_by=made[p["superseded_by"]])
    for a in item["amendments"]:
        if n.amendments.filter(delegation_code=a["delegation"], created_at=a["created_at"]):
            continue
        fields = {k: v for k, v in a.items() if k not in ("delegation", "created_at")}
        amendment = Amendment.objects.create(
            negotiation=n, delegation_code=a["delegation"], **fields
        )
        Amendment.objects.filter(pk=amendment.pk).update(created_at=a["created_at"])
    for d in item["decisions"]:
        if n.decisions.filter(kind=d["kind"], at=d["at"]).exists():
            continue
        decision = Decision.objects.create(
            negotiation=n,
            kind=d["kind"],
            revision=revisions[d["revision"]],
            body=bodies[d["body"]] if d["body"] in bodies else _missing(d["body"]),
            to_body=_body(bodies, d["to_body"]),
            note=d["note"],
        )
        Decision.objects.filter(pk=decision.pk).update(at=d["at"])
        Statement.objects.bulk_create(
            Statement(
                decision=decision,
                kind=s["kind"],
                delegation_code=s["delegation"],
                paragraph_key=s["paragraph_key"],
                text=s["text"],
            )
            for s in d["statements"]
        )
        counts["decisions"] += 1
