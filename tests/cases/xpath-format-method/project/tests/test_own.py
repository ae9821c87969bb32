from org.directory import Directory


def test_members_of_a_department():
    assert Directory().members("eng") == ["Lin", "Kai"]
    assert Directory().members("hr") == []
