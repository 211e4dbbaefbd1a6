"""Run by test_notes_concurrency on SQLite: a file database of its own (the test database is
in memory, which threads cannot share for writing), 20 threads issuing at once, each with its
own connection. Prints the numbers given, as JSON."""

from __future__ import annotations

import json
import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")


def race(count: int, *, actor_name: str = "secretariat", series_code: str = "NV") -> list[int]:
    from django.db import connection

    from secretariat.accounts.models import User
    from secretariat.communications import actions
    from secretariat.communications.models import Note, NoteKind, Series

    actor = User.objects.get(username=actor_name)
    series = Series.objects.get(code=series_code)
    notes = []
    for i in range(count):
        note = actions.do_create_note(
            kind=NoteKind.CIRCULAR,
            series=series,
            editions=[actions.EditionText("en", f"Race {i}", "forward a document.")],
            actor=actor,
        )
        notes.append(actions.do_approve_note(note, actor=actor))
    connection.close()
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def issue(note: Note) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            actions.do_issue_note(note, actor=actor)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in notes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    issued = Note.objects.filter(pk__in=[n.pk for n in notes])
    references = set(issued.values_list("reference", flat=True))
    assert len(references) == count, "a reference was given twice"
    return sorted(issued.values_list("number", flat=True))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from secretariat.communications.seed import seed_house_style
    from secretariat.demo.forum import load_forum

    call_command("migrate", verbosity=0)
    forum = sys.argv[2] if len(sys.argv) > 2 else "cica"
    load_forum(forum)
    seed_house_style()
    actor = {"cica": "secretariat", "asem": "eeas"}[forum]
    print(json.dumps(race(int(sys.argv[1]) if len(sys.argv) > 1 else 20, actor_name=actor)))


if __name__ == "__main__":
    main()
