from settings.values import parse_settings, parse_value


def test_literals():
    assert parse_value("42") == 42
    assert parse_value("[1, 2]") == [1, 2]
    assert parse_value("{'a': True}") == {"a": True}


def test_plain_text_falls_back_to_string():
    assert parse_value(" dark mode ") == "dark mode"


def test_code_is_not_executed():
    assert parse_value("__import__('os').getcwd()") == "__import__('os').getcwd()"


def test_parse_settings():
    text = "# comment\nvolume = 7\ntheme = 'dark'\n\nplugins = ['a', 'b']\n"
    assert parse_settings(text) == {"volume": 7, "theme": "dark", "plugins": ["a", "b"]}
