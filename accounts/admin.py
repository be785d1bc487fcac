"""User admin that shows each person's roles (groups) and revokes API tokens when a user is
deactivated or given a new password; an API token admin where any token can be revoked."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from . import services
from .forms import AdminPasswordChangeForm
from .models import ApiToken

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
