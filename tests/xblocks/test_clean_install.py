"""The ``xblocks`` extra is enough: a fresh virtualenv with only ``career-toolkit[xblocks]`` renders every block.

The install is non-editable, from a copy of the source tree (so the build leaves no ``build/`` or
``*.egg-info`` behind in the working tree), with pip's cache. It must bring no Flask, SQLAlchemy or
pylti1p3: an Open edX operator installs the blocks without the LTI server stack.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "career_core", "lti_app", "xblocks")

SCRIPT = textwrap.dedent(
    """
    import importlib.util, json
    from importlib.metadata import entry_points
    from xblock.fields import ScopeIds
    from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, Runtime

    class TinyRuntime(Runtime):
        def __init__(self):
            ids = MemoryIdManager()
            super().__init__(ids, ids, services={"field-data": KvsFieldData(DictKeyValueStore())})
            self.events = []
        def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
            return "/handler/" + handler_name
        def resource_url(self, resource):
            return "/resource/" + resource
        def local_resource_url(self, block, uri):
            return "/local/" + uri
        def publish(self, block, event_type, event_data):
            self.events.append(event_type)

    runtime = TinyRuntime()
    rendered = {}
    for point in entry_points(group="xblock.v1"):
        cls = point.load()
        def_id = runtime.id_generator.create_definition(point.name)
        usage_id = runtime.id_generator.create_usage(def_id)
        block = runtime.construct_xblock_from_class(cls, ScopeIds("learner", point.name, def_id, usage_id))
        html = block.student_view().content
        rendered[point.name] = {
            "file": __import__(cls.__module__).__file__,
            "ok": 'class="career-toolkit' in html,
            "studio": "career-studio-form" in block.studio_view().content,
        }
    server_stack = ("flask", "sqlalchemy", "pylti1p3", "marshmallow")
    importable = [name for name in server_stack if importlib.util.find_spec(name)]
    print(json.dumps({"importable": importable, "rendered": rendered}))
    """
)


def test_the_xblocks_extra_installs_and_renders_without_the_lti_stack(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"{source}[xblocks]"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    done = subprocess.run(
        [str(python), "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["importable"] == []
    assert set(result["rendered"]) == {
        "career_self_assessment",
        "career_path",
        "career_development_plan",
        "career_reflection",
    }
    for tag, block in result["rendered"].items():
        assert block["ok"] and block["studio"], tag
        assert str(env_dir) in block["file"], f"{tag} was imported from {block['file']}, not the clean install"
