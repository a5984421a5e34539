"""Installs mlflow==VERSION when the index lacks its sibling wheels at the same version.

The mlflow wheel pins mlflow-skinny==VERSION and mlflow-tracing==VERSION, but it ships the whole
`mlflow` package itself; the siblings only add metadata. When a sibling at VERSION is missing from
the index, its dependencies are taken from its newest published version below VERSION instead,
then the mlflow wheel is installed without dependencies.

Usage: python install_without_missing_siblings.py VERSION WORK_DIR   (run with the venv's python)
"""
import glob
import re
import subprocess
import sys
import tempfile
import zipfile

version, work_dir = sys.argv[1], sys.argv[2]


def say(line):
    print("[install_without_missing_siblings] " + line, flush=True)


def download(spec):
    """The wheel file for `spec` (no dependencies), or None when the index has none."""
    target = tempfile.mkdtemp(dir=work_dir)
    result = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                             "--only-binary", ":all:", "-d", target, spec])
    wheels = glob.glob(target + "/*.whl")
    return wheels[0] if result.returncode == 0 and wheels else None


def requirements(wheel):
    """The wheel's Requires-Dist lines that apply without extras (markers kept for pip)."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode("utf-8")
    lines = [line.split(":", 1)[1].strip() for line in text.splitlines()
             if line.startswith("Requires-Dist:")]
    return [line for line in lines if not re.search(r"\bextra\s*==", line)]


def name_of(requirement):
    return re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower().replace("_", "-")


def pinned_sibling(requirement):
    """True for `mlflow-xxx==VERSION` (with no marker)."""
    return name_of(requirement).startswith("mlflow-") and \
        re.fullmatch(r"[A-Za-z0-9._-]+\s*==\s*" + re.escape(version), requirement.strip()) is not None


main = download("mlflow==" + version)
if main is None:
    sys.exit("the index has no wheel for mlflow==" + version)

needed, missing = [], set()
pending = requirements(main)
while pending:
    requirement = pending.pop(0)
    name = name_of(requirement)
    if name in missing:
        continue
    if pinned_sibling(requirement) and download(requirement) is None:
        missing.add(name)
        substitute = download(name + "<" + version)
        if substitute is None:
            sys.exit("the index has no version of " + name + " at all")
        say("the index lacks " + requirement + "; taking its dependencies from "
            + substitute.rsplit("/", 1)[-1])
        pending.extend(requirements(substitute))
        continue
    needed.append(requirement)

needed = [r for r in needed if name_of(r) not in missing]
requirements_file = work_dir + "/requirements.txt"
with open(requirements_file, "w") as out:
    out.write("\n".join(needed) + "\n")
say("installing " + str(len(needed)) + " dependencies read from the wheels' metadata")
subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", requirements_file], check=True)
say("installing " + main.rsplit("/", 1)[-1] + " without dependencies")
subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", main], check=True)
