from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "secretariat.board"
    label = "board"
    verbose_name = "Board"

    def ready(self) -> None:
        from secretariat.board import kinds

        kinds.register_all()
        from secretariat.board.passages import on_document_changed
        from secretariat.documents.signals import document_changed

        document_changed.connect(on_document_changed, dispatch_uid="board-anchors")
        from secretariat.board.passages import on_negotiation_text_changed
        from secretariat.negotiation.signals import text_changed

        text_changed.connect(on_negotiation_text_changed, dispatch_uid="board-negotiation-anchors")
