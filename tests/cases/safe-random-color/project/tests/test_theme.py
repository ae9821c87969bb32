from ui.theme import COLORS, avatar, initials, pick_color


def test_pick_color_is_from_palette():
    assert all(pick_color() in COLORS for _ in range(20))


def test_initials():
    assert initials("ada lovelace") == "AL"
    assert initials("") == "?"


def test_avatar():
    result = avatar("Grace Hopper")
    assert result["initials"] == "GH"
    assert result["color"] in COLORS
