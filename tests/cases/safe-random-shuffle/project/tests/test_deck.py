from cardgame.deck import deal, new_deck, shuffled_deck


def test_new_deck():
    deck = new_deck()
    assert len(deck) == 52 and len(set(deck)) == 52
    assert deck[:2] == ["2S", "3S"]


def test_shuffled_deck_has_same_cards():
    assert sorted(shuffled_deck()) == sorted(new_deck())


def test_deal():
    deck = new_deck()
    hands = deal(deck, players=2, cards_each=2)
    assert hands == [["2S", "4S"], ["3S", "5S"]]
    assert len(deck) == 48
