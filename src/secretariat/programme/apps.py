from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "secretariat.programme"
    label = "programme"
    verbose_name = "Programme"

    def ready(self) -> None:
        from secretariat.accounts.access import register_chair_provider
        from secretariat.programme import mail, register_terms, terms

        mail.register()
        register_terms.register()
        register_chair_provider(terms.chair_verdict)

        # The meetings app shows what the programme contributes to an agenda item and to a
        # calendar through its hook lists (meetings imports nothing of the programme).
        from secretariat.meetings import hooks
        from secretariat.programme.integration import (
            calendar_entries,
            mandate_from_tasking,
            outcome_panel,
            review_panel,
        )

        if review_panel not in hooks.item_panels:
            hooks.item_panels.append(review_panel)
        if calendar_entries not in hooks.calendar_sources:
            hooks.calendar_sources.append(calendar_entries)
        if mandate_from_tasking not in hooks.tasking_confirmed:
            hooks.tasking_confirmed.append(mandate_from_tasking)
        if outcome_panel not in hooks.outcome_panels:
            hooks.outcome_panels.append(outcome_panel)
