"""Installs what an extra of the installed mlflow needs (e.g. `auth` for --app-name basic-auth),
as the installed mlflow's own metadata names it; does nothing when all of it is there.

Usage: python install_extra.py EXTRA   (run with the venv's python)
"""
import importlib.metadata as metadata
import subprocess
import sys

from pip._vendor.packaging.requirements import Requirement

extra = sys.argv[1]
needed = []
for line in metadata.requires("mlflow") or []:
    requirement = Requirement(line)
    marker = requirement.marker
    if marker is None or not marker.evaluate({"extra": extra}) or marker.evaluate({"extra": ""}):
        continue
    try:
        metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        requirement.marker = None
        needed.append(str(requirement))
if needed:
    print("[install_extra] installing " + " ".join(needed) + " for mlflow[" + extra + "]",
          flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *needed], check=True)
