"""Admin for reminders (read-only rows with retry and sweep actions), notifications, feeds.

The sweep's schedule is django-celery-beat's "Periodic tasks" admin.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services, tasks
from .models import CalendarFeed, Notification, Reminder
from .services.recovery import reminder_retry_now


class ProblemFilter(admin.SimpleListFilter):
    """Reminders in trouble, as the metrics count them (ReminderQuerySet; docs/operations.md,
    "Logs, metrics and errors")."""

    title = _("problem")
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return [
            ("any", _("Failing or stuck")),
            ("failing", _("Failing")),
            ("stuck", _("Stuck")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "any":
            return queryset.with_problems(now)
        if self.value() == "failing":
            return queryset.failing()
        if self.value() == "stuck":
            return queryset.stuck(now)
        return queryset


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "target_display",
        "due_date",
        "offset_days",
        "send_on",
        "status",
        "attempts",
        "sent_at",
        "next_attempt_at",
        "claimed_at",
        "last_error_display",
    )
    list_filter = (ProblemFilter, "status", "kind", "send_on")
    date_hierarchy = "send_on"
    search_fields = ("last_error", "status_note")
    readonly_fields = [field.name for field in Reminder._meta.fields] + ["target_display"]
    exclude = ("recipients",)
    actions = ("retry_failed", "sweep_now")
    list_select_related = ("content_type",)

    @admin.display(description=_("about"))
    def target_display(self, reminder):
        return str(reminder.target) if reminder.target is not None else _("(deleted)")

    @admin.display(description=_("last error"))
    def last_error_display(self, reminder):
        return Truncator(reminder.last_error).chars(120)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        # Rows are never edited by hand, but whoever may change them may resend them.
        return request.user.has_perm("reminders.change_reminder")

    @admin.action(
        description=_("Retry the selected failing or stuck reminders now"), permissions=["retry"]
    )
    def retry_failed(self, request, queryset):
        now = timezone.now()
        retried = sum(reminder_retry_now(reminder=r, now=now) for r in queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d reminder will be retried by the next sweep.",
                "%(n)d reminders will be retried by the next sweep.",
                retried,
            )
            % {"n": retried},
        )
        if retried:
            tasks.enqueue_sweep()

    @admin.action(description=_("Run the reminder sweep now (on a worker)"), permissions=["retry"])
    def sweep_now(self, request, queryset):
        if tasks.enqueue_sweep():
            self.message_user(request, _("The sweep was sent to a worker."))
        else:
            self.message_user(
                request, _("The broker is unreachable; the sweep was not sent."), messages.ERROR
            )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("title", "body", "user__username", "user__email")
    raw_id_fields = ("user", "reminder")
    list_select_related = ("user",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__username", "user__email")
    readonly_fields = ("user", "token", "created_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke: give the selected feeds a new secret address"))
    def revoke(self, request, queryset):
        for feed in queryset.select_related("user"):
            services.calendar_feed_regenerate(user=feed.user)
        self.message_user(request, _("The old addresses no longer work."))
