from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Web pages (shared layout, lists and formatting)"

    def ready(self):
        from . import checks  # noqa: F401 - registers the HTTPS middleware's deploy checks
