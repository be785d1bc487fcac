from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.signals import demo_programme_created
        from core.views import connect_list_opened

        from . import checks  # noqa: F401 - registers the system checks
        from .demo import add_demo_saved_views
        from .list_hooks import open_default_view
        from .middleware import remember_time_zone

        # A user's default saved view opens in place of the bare list (docs/saved-views.md).
        connect_list_opened(open_default_view)
        demo_programme_created.connect(add_demo_saved_views, dispatch_uid="accounts-demo")
        # The zone pages show times in rides in the session (accounts/middleware.py).
        user_logged_in.connect(remember_time_zone, dispatch_uid="accounts-time-zone")
