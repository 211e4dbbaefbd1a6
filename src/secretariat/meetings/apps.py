from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "secretariat.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Meetings and agenda items in the library's search (documents imports no meetings).
        from secretariat.documents import search
        from secretariat.meetings.minutes import register_kinds
        from secretariat.meetings.search import search_meetings

        register_kinds()

        if search_meetings not in search.sources:
            search.sources.append(search_meetings)
