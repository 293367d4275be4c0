"""No module builds a mapped domain object at import: the mappers instrument the classes later
(storage.mapping.start_mappers, at the first engine), and an object made before that has no
SQLAlchemy state; reading its attributes then crashes (the command line's admin user did)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh process: this one mapped the classes long ago (tests/conftest.py).
SCAN = """
import importlib, pkgutil
from sqlalchemy import inspect
names = [m.name for pkg in ("domain", "storage", "bot", "handlers")
         for m in pkgutil.walk_packages(importlib.import_module(pkg).__path__, pkg + ".")]
modules = [importlib.import_module(name) for name in names if ".migrations" not in name]
from storage.mapping import start_mappers
start_mappers()
for module in modules:
    for name, value in vars(module).items():
        if inspect(type(value), raiseerr=False) is not None and not hasattr(value, "_sa_instance_state"):
            print(f"{module.__name__}.{name}")
"""


def test_no_module_makes_a_mapped_object_before_the_mappers_run():
    done = subprocess.run([sys.executable, "-c", SCAN], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
