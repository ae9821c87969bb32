from snippets.highlight import highlight, snippet


def test_whole_words_are_marked_in_any_case():
    assert highlight("Python and python", "python") == "<mark>Python</mark> and <mark>python</mark>"
    assert highlight("pythonic code", "python") == "pythonic code"


def test_text_is_escaped_and_cut():
    assert highlight("a < b", "b") == "a &lt; <mark>b</mark>"
    assert snippet("release notes for version 2", "notes", width=13) == "release <mark>notes</mark>"
