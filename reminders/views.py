"""Pages of the reminders app: the notifications inbox and the private calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.clock import local_today
from transition.models import OutsourcedProcess

from . import selectors, services
from .calendar import feed_version, first_served
from .forms import CalendarRegenerateForm, NotificationFilterForm
from .ical import calendar_for
from .models import Notification


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class NotificationListView(LoginRequiredMixin, ListView):
    """The signed-in user's notifications, newest first, optionally unread only."""

    template_name = "reminders/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = NotificationFilterForm(self.request.GET or None)
        return selectors.notifications_for(
            self.request.user, unread_only=self.filter_form.unread_only()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["unread_only"] = self.filter_form.unread_only()
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one notification read: an htmx swap of the row, or a redirect without JavaScript."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        services.notification_mark_read(notification=notification, user=request.user)
        if request.htmx:
            notification.refresh_from_db()
            return render(
                request,
                "reminders/partials/_notification_read.html",
                {"notification": notification},
            )
        return HttpResponseRedirect(_safe_next(request, reverse("reminders:inbox")))


class NotificationOpenView(LoginRequiredMixin, View):
    """Follow a notification's link, marking it read on the way."""

    def get(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        services.notification_mark_read(notification=notification, user=request.user)
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return redirect("reminders:inbox")
        return HttpResponseRedirect(target)


class NotificationReadAllView(LoginRequiredMixin, View):
    """Mark every unread notification of the signed-in user read."""

    http_method_names = ["post"]

    def post(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        messages.success(request, _("Marked %(count)d notifications read.") % {"count": count})
        return HttpResponseRedirect(_safe_next(request, reverse("reminders:inbox")))


class ProcessRemindersView(LoginRequiredMixin, TemplateView):
    """The reminders sent about a process and its plan (an htmx fragment on its workspace)."""

    limit = 20

    def get_template_names(self):
        if self.request.htmx:
            return ["reminders/partials/_process_reminders_list.html"]
        return ["reminders/process_reminders.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = get_object_or_404(OutsourcedProcess, pk=self.kwargs["pk"])
        reminders = selectors.reminders_for_process(process).prefetch_related("target")
        context.update(process=process, sent_reminders=reminders[: self.limit], limit=self.limit)
        return context


class CalendarFeedPageView(LoginRequiredMixin, TemplateView):
    """The subscription address of the user's private feed, and what it holds."""

    template_name = "reminders/calendar_feed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["feed"] = services.calendar_feed_for(user=self.request.user)
        context["deadlines"] = selectors.deadlines_concerning(self.request.user, local_today())
        context["form"] = CalendarRegenerateForm()
        return context


class CalendarRegenerateView(LoginRequiredMixin, View):
    """Replace the feed's secret; subscriptions to the old address stop working."""

    http_method_names = ["post"]

    def post(self, request):
        form = CalendarRegenerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Tick the box to confirm replacing your calendar address."))
            return redirect("reminders:calendar")
        services.calendar_feed_regenerate(user=request.user)
        messages.success(
            request, _("Your calendar address was replaced; the old one no longer works.")
        )
        return redirect("reminders:calendar")


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """The .ics itself: its secret token is the credential (calendar apps cannot log in)."""

    # Calendar clients poll on their own schedule; within this a browser or client may reuse
    # its copy without asking, after it asks with If-None-Match and mostly gets a 304.
    max_age = 900

    def get(self, request, token):
        feed = selectors.calendar_feed_by_token(token)
        if feed is None:
            raise Http404
        today = local_today()
        version = feed_version(feed.user_id, today, fallback=feed.fallback)
        last_modified = first_served(version).timestamp()
        response = HttpResponse(content_type="text/calendar; charset=utf-8")
        response["ETag"] = version.etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = f"private, max-age={self.max_age}"
        response["Content-Disposition"] = 'inline; filename="backsourcing-deadlines.ics"'
        conditional = get_conditional_response(
            request, etag=version.etag, last_modified=last_modified, response=response
        )
        if conditional is not response:
            return conditional  # 304 (or 412 for If-Match): no feed computed
        response.content = calendar_for(
            feed.user, today, fallback=feed.fallback, stamp=version.as_of
        )
        return response
