"""Create the three role groups with their model permissions (docs/domain.md, Roles).

Object-level rights (a project lead acting on the processes they lead) come from the
rules in each app's rules.py, not from these table-wide permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DOMAIN_MODELS = {
    "contracts": ["serviceprovider", "contract", "contractdocument"],
    "transition": [
        "programme",
        "outsourcedprocess",
        "processevent",
        "milestone",
        "asset",
        "staffmember",
        "readinessassessment",
    ],
}
ROLE_ACTIONS = {
    "Operations managers": ["view", "add", "change", "delete"],
    "Project leads": ["view"],
    "Viewers": ["view"],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True  # create_permissions skips apps without one
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in ROLE_ACTIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = [
            f"{action}_{model}"
            for models in DOMAIN_MODELS.values()
            for model in models
            for action in actions
        ]
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=DOMAIN_MODELS, codename__in=codenames
            )
        )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_ACTIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contracts", "0001_initial"),
        ("transition", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
