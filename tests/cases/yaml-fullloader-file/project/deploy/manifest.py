"""Read ``deploy.yaml`` manifests that teams commit next to their code.

The manifest is echoed back in the deployment log, so it should only ever
contain plain data.
"""

import json

import yaml


def read_manifest(path: str) -> dict:
    """Load the manifest at ``path``; ``services`` defaults to an empty list."""
    with open(path, encoding="utf-8") as f:
        manifest = yaml.load(f, Loader=yaml.FullLoader)
    if not isinstance(manifest, dict):
        raise ValueError(f"{path}: manifest must be a mapping")
    manifest.setdefault("services", [])
    return manifest


def service_names(manifest: dict) -> list[str]:
    """Names of the services to deploy, in manifest order."""
    return [s["name"] for s in manifest["services"]]


def log_line(manifest: dict) -> str:
    """Compact JSON rendering for the deployment log."""
    return json.dumps(manifest, sort_keys=True, default=str)
