"""API permissions: the same django-rules permissions as the pages (docs/domain.md, Roles)."""

from rest_framework import permissions

from accounts.predicates import is_project_lead


class RulePermission(permissions.BasePermission):
    """Reads need login; writes need the viewset's `write_permission`, on the object if any.

    Plan items (milestones, assets, staff, readiness) are writable by project leads only on
    processes they lead. A create names its process in the body, so for a project lead the
    view lets the request through and the service checks the process (403 if not theirs).
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return request.user.has_perm("accounts.read")
        perm = view.write_permission
        if perm is None:
            return False
        if request.user.has_perm(perm):
            return True
        return getattr(view, "object_scoped", False) and is_project_lead(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.has_perm(view.write_permission, obj)
