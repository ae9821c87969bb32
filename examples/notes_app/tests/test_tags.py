from notesapp.tags import join_tags, normalise_tags, parse_tag_filter, split_tags


def test_parse_tag_filter_list_literal():
    assert parse_tag_filter("['work', 'ideas']") == ["work", "ideas"]


def test_parse_tag_filter_variants():
    assert parse_tag_filter("('Work', 'work ', 'Home')") == ["work", "home"]
    assert parse_tag_filter("'ideas'") == ["ideas"]
    assert parse_tag_filter("   ") == []


def test_storage_round_trip():
    stored = join_tags(["B", "a", "b", ""])
    assert stored == "b,a"
    assert split_tags(stored) == ["b", "a"]
    assert split_tags("") == []
    assert normalise_tags([" X "]) == ["x"]
