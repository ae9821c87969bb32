"""Alert rules: thresholds per metric, e.g. ``{"cpu": 90, "mem": 75.5}``."""

DEFAULT_THRESHOLDS = {"cpu": 95.0, "mem": 90.0, "disk": 90.0}


class RuleLoader:
    """Loads alert thresholds and merges them over the defaults."""

    def __init__(self, defaults: dict[str, float] | None = None) -> None:
        self.defaults = dict(defaults or DEFAULT_THRESHOLDS)

    def load_thresholds(self, raw: str) -> dict[str, float]:
        """Parse a thresholds setting; unknown metrics are kept as given."""
        overrides = eval(raw)
        thresholds = dict(self.defaults)
        for metric, limit in overrides.items():
            thresholds[str(metric)] = float(limit)
        return thresholds

    def breaches(self, thresholds: dict[str, float], sample: dict[str, float]) -> list[str]:
        """Metrics of ``sample`` above their threshold, sorted by name."""
        return sorted(m for m, v in sample.items() if m in thresholds and v > thresholds[m])
