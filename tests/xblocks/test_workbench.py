"""Every block's scenarios render in the xblock-sdk workbench (Django), run in a subprocess.

The subprocess keeps ``DJANGO_SETTINGS_MODULE=workbench.settings`` and the workbench's global store
out of this test process; the database is a fresh SQLite file in a temporary directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("workbench")

SCRIPT = textwrap.dedent(
    r"""
    import json, re, warnings
    warnings.simplefilter("ignore")
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from workbench.scenarios import get_scenarios

    call_command("migrate", run_syncdb=True, verbosity=0)
    client = Client()
    results = {}
    for scenario_id in sorted(get_scenarios()):
        if not scenario_id.startswith("career_"):
            continue
        page = client.get(f"/scenario/{scenario_id}/")
        studio = client.get(f"/scenario/{scenario_id}/studio_view/")
        html = page.content.decode()
        usage = re.search(r"data-usage=['\"]([^'\"]+)", html)
        results[scenario_id] = {
            "status": page.status_code,
            "studio_status": studio.status_code,
            "rendered": 'class="career-toolkit' in html,
            "studio_rendered": "career-studio-form" in studio.content.decode(),
            "export": client.post(
                f"/handler/{usage.group(1)}/export_evidence/", "{}", content_type="application/json"
            ).status_code if usage else None,
        }
    print(json.dumps(results))
    """
)


def test_every_scenario_renders_in_the_workbench(tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    # No PYTHONPATH: the workbench finds the blocks through the installed entry points, as a user's would.
    env = {
        **{key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
        "DJANGO_SETTINGS_MODULE": "workbench.settings",
        "EXCLUDE_SAMPLE_XBLOCKS": "yes",
        "WORKBENCH_DATABASES": json.dumps(
            {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "var" / "workbench.db")}}
        ),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    tags = {scenario_id.split(".")[0] for scenario_id in results}
    assert tags == {"career_self_assessment", "career_path", "career_development_plan", "career_reflection"}
    for scenario_id, result in results.items():
        assert result == {
            "status": 200,
            "studio_status": 200,
            "rendered": True,
            "studio_rendered": True,
            "export": 200,
        }, scenario_id
