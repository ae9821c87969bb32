"""Job specifications are YAML documents uploaded through the dashboard."""

import yaml

REQUIRED_KEYS = ("name", "image", "command")


def load_job_spec(document: str) -> dict:
    """Parse a job spec and check that the required keys are present."""
    spec = yaml.unsafe_load(document)
    if not isinstance(spec, dict):
        raise ValueError("job spec must be a mapping")
    missing = [k for k in REQUIRED_KEYS if k not in spec]
    if missing:
        raise ValueError(f"job spec lacks {', '.join(missing)}")
    spec.setdefault("retries", 0)
    return spec


def summary(spec: dict) -> str:
    """One-line description shown in the job list."""
    return f"{spec['name']} ({spec['image']}), {spec['retries']} retries"
