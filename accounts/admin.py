"""User admin that shows each person's roles (groups) and revokes API tokens when a user is
deactivated or given a new password; an API token admin where any token can be revoked."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from . import services
from . import services_saved_views as saved_view_services
from .forms import AdminPasswordChangeForm, PreferencesForm
from .models import ApiToken, OidcIdentity, Preferences, SavedView

User = get_user_model()


class RoleUserAdmin(UserAdmin):
    change_password_form = AdminPasswordChangeForm
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "roles",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
    )
    list_filter = ("groups", "is_active", "is_staff", "is_superuser")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(sorted(group.name for group in obj.groups.all())) or "-"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            # Refused while inactive anyway; deleted so that reactivating does not revive them.
            services.token_revoke_all(user=obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are seen and revoked here, never created: only their user ever sees a key."""

    list_display = ("name", "user", "created", "expires", "last_used", "status")
    list_filter = ("created", "expires")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "user__email")
    fields = ("user", "name", "created", "expires", "last_used", "status")
    readonly_fields = fields
    date_hierarchy = "created"

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.refusal(now=timezone.now()) or _("Active")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.token_revoke(token=obj)

    def delete_queryset(self, request, queryset):
        for token in queryset:
            services.token_revoke(token=token)


# django.contrib.auth registers the stock UserAdmin first (it comes earlier in INSTALLED_APPS).
admin.site.unregister(User)
admin.site.register(User, RoleUserAdmin)
# Tokens saved through DRF's own model become ApiTokens at once (accounts/receivers.py), so its
# admin would always be empty; creating a token there would show a key nobody could find again.
admin.site.unregister(TokenProxy)


class SavedViewAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        view = self.instance
        try:
            saved_view_services.refuse_repeated_name(
                owner_id=view.owner_id,
                list_key=view.list_key,
                name=(cleaned.get("name") or "").strip(),
                pk=view.pk,
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    """Seen, renamed, unshared and deleted here through the same services as on /views/;
    never created (a view is saved from its list, whose filters it checks)."""

    form = SavedViewAdminForm
    list_display = ("name", "list_key", "owner", "shared", "is_default", "updated")
    list_filter = ("list_key", "shared", "is_default")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username", "list_key")
    fields = ("owner", "list_key", "name", "query", "shared", "is_default", "created", "updated")
    readonly_fields = ("owner", "list_key", "query", "created", "updated")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        saved_view_services.saved_view_update(
            user=obj.owner,
            view=obj,
            name=obj.name,
            shared=obj.shared,
            is_default=obj.is_default,
        )

    def delete_model(self, request, obj):
        saved_view_services.saved_view_delete(user=obj.owner, view=obj)

    def delete_queryset(self, request, queryset):
        for view in queryset:
            saved_view_services.saved_view_delete(user=view.owner, view=view)


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Which user each single sign-on subject signs in as. Deleting a row unlinks it (the next
    sign-in creates a new user); adding one links a provider account to an existing user, the
    only way one is ever matched to a local account (docs/security.md, "Single sign-on")."""

    list_display = ("user", "subject", "issuer", "created")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "subject")
    autocomplete_fields = ("user",)
    readonly_fields = ("created",)


class PreferencesAdminForm(forms.ModelForm):
    time_zone = PreferencesForm.base_fields["time_zone"]

    class Meta:
        model = Preferences
        fields = ("user", "time_zone")


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    """People's time zones (docs/reminders.md, "Time zones"), saved through the service. A
    change reaches the person's pages at their next sign-in or profile visit (the session
    carries the zone); their reminders follow it at once."""

    form = PreferencesAdminForm
    list_display = ("user", "time_zone")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "time_zone")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        services.preferences_update(user=obj.user, time_zone=obj.time_zone)
