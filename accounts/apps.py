from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from core.signals import demo_programme_created
        from core.views import connect_list_opened

        from . import checks  # noqa: F401 - registers the system checks
        from .demo import add_demo_saved_views
        from .list_hooks import open_default_view

        # A user's default saved view opens in place of the bare list (docs/saved-views.md).
        connect_list_opened(open_default_view)
        demo_programme_created.connect(add_demo_saved_views, dispatch_uid="accounts-demo")
