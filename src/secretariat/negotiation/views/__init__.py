"""Thin views by area: access first, a form, one action, then a redirect or (for htmx) the
paragraph again. `urls.py` mounts them from here."""

from secretariat.negotiation.views.decisions import (
    adopt,
    break_silence,
    decide_ad_ref,
    decide_forward,
    decisions,
    open_silence,
)
from secretariat.negotiation.views.negotiations import (
    import_status,
    map_code,
    negotiation_detail,
    negotiation_import,
    negotiation_list,
    source,
)
from secretariat.negotiation.views.paragraphs import (
    agreed_language,
    comment,
    edit_paragraph,
    paragraph,
    propose_amendment,
    resolve_bracket,
    resubmit_amendment,
    state_position,
    withdraw_amendment,
    withdraw_position,
)
from secretariat.negotiation.views.revisions import (
    amendment_sheet,
    chair_dashboard,
    compare,
    compile_revision,
    revision_detail,
    revision_docx,
    revision_list,
    revision_text,
)

__all__ = [
    "adopt",
    "agreed_language",
    "amendment_sheet",
    "break_silence",
    "chair_dashboard",
    "comment",
    "compare",
    "compile_revision",
    "decide_ad_ref",
    "decide_forward",
    "decisions",
    "edit_paragraph",
    "import_status",
    "map_code",
    "negotiation_detail",
    "negotiation_import",
    "negotiation_list",
    "open_silence",
    "paragraph",
    "propose_amendment",
    "resolve_bracket",
    "resubmit_amendment",
    "revision_detail",
    "revision_docx",
    "revision_list",
    "revision_text",
    "source",
    "state_position",
    "withdraw_amendment",
    "withdraw_position",
]
