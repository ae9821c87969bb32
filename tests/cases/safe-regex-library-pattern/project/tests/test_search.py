from textkit.search import count_word, grep, matching_files, normalise


def test_grep_takes_a_regular_expression():
    assert grep(["error: x", "ok", "ERROR: y"], r"^error:", ignore_case=True) == ["error: x", "ERROR: y"]


def test_globs_words_and_spaces():
    assert matching_files(["a.py", "b.txt"], "*.py") == ["a.py"]
    assert count_word("a.b a.b ab", "a.b") == 2
    assert normalise("  a \t b ") == "a b"
