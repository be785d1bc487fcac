"""Static files as production serves them: every file a template names exists, and the
manifest storage of the production settings collects the whole tree, CSS references included."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def static_paths_in_templates() -> set[str]:
    templates = Path(settings.BASE_DIR, "templates")
    return {
        path
        for template in templates.rglob("*.html")
        for path in STATIC_TAG.findall(template.read_text(encoding="utf-8"))
    }


def test_the_templates_name_static_files():
    assert "vendor/htmx/htmx.min.js" in static_paths_in_templates()


@pytest.mark.parametrize("path", sorted(static_paths_in_templates()))
def test_every_static_file_a_template_names_exists(path):
    assert finders.find(path), f"{path} is named in a template but no finder has it"


def test_production_manifest_storage_collects_every_file(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (tmp_path / "staticfiles.json").read_text(encoding="utf-8")
    for path in static_paths_in_templates():
        assert f'"{path}"' in manifest, f"{path} is missing from the manifest"
