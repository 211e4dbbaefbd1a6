"""Every change to a negotiation is one of these functions: atomic, audited, notifying and
enqueueing its background work in the same transaction. Views, commands, tasks and tests
call them; nothing else saves these models.

`code` arguments are the delegation a user acts for; callers take it from `access.acting_code`
(never from the request), so a delegate acts for their own delegation only.
"""

from secretariat.negotiation.actions.amendments import (
    amendment_spec,
    do_propose_amendment,
    do_resubmit_amendment,
    do_withdraw_amendment,
)
from secretariat.negotiation.actions.common import (
    ActionError,
    Conflict,
    FrozenRevision,
    latest_issued,
    participants,
    working_revision,
)
from secretariat.negotiation.actions.decisions import (
    StatementInput,
    do_adopt_by_consensus,
    do_forward,
    do_record_agreed_ad_ref,
)
from secretariat.negotiation.actions.editions import (
    do_assign_translator,
    do_load_edition,
    do_load_edition_docx,
    do_unassign_translator,
    do_update_edition_paragraph,
)
from secretariat.negotiation.actions.importing import (
    PreparedImport,
    do_import_negotiation,
    do_map_code,
    do_queue_import,
    prepare_import,
    run_import_job,
    runs_as_task,
    unknown_codes,
)
from secretariat.negotiation.actions.positions import (
    do_comment,
    do_state_position,
    do_withdraw_position,
)
from secretariat.negotiation.actions.revisions import (
    CompilePreview,
    CompileReport,
    do_compile_revision,
    preview_compile,
)
from secretariat.negotiation.actions.silence import (
    do_break_silence,
    do_end_silence,
    do_open_silence,
)
from secretariat.negotiation.actions.working_text import (
    do_edit_paragraph,
    do_resolve_bracket,
    do_undo_resolve,
    resolve_bracket_undoable,
)

__all__ = [
    "ActionError",
    "CompilePreview",
    "CompileReport",
    "Conflict",
    "FrozenRevision",
    "PreparedImport",
    "StatementInput",
    "amendment_spec",
    "do_adopt_by_consensus",
    "do_assign_translator",
    "do_break_silence",
    "do_comment",
    "do_compile_revision",
    "do_edit_paragraph",
    "do_end_silence",
    "do_forward",
    "do_import_negotiation",
    "do_load_edition",
    "do_load_edition_docx",
    "do_map_code",
    "do_open_silence",
    "do_propose_amendment",
    "do_queue_import",
    "do_record_agreed_ad_ref",
    "do_resolve_bracket",
    "do_resubmit_amendment",
    "do_state_position",
    "do_unassign_translator",
    "do_undo_resolve",
    "do_update_edition_paragraph",
    "do_withdraw_amendment",
    "do_withdraw_position",
    "latest_issued",
    "participants",
    "prepare_import",
    "preview_compile",
    "resolve_bracket_undoable",
    "run_import_job",
    "runs_as_task",
    "unknown_codes",
    "working_revision",
]
