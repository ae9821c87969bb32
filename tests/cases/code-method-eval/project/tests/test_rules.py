from monitor.rules import DEFAULT_THRESHOLDS, RuleLoader


def test_load_thresholds_overrides_defaults():
    loader = RuleLoader()
    thresholds = loader.load_thresholds('{"cpu": 80, "swap": 50.5}')
    assert thresholds == {**DEFAULT_THRESHOLDS, "cpu": 80.0, "swap": 50.5}


def test_empty_setting_keeps_defaults():
    assert RuleLoader({"cpu": 1.0}).load_thresholds("{}") == {"cpu": 1.0}


def test_breaches():
    loader = RuleLoader()
    thresholds = loader.load_thresholds("{'cpu': 50}")
    assert loader.breaches(thresholds, {"cpu": 75.0, "mem": 10.0, "gpu": 99.0}) == ["cpu"]
