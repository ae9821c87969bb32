from billing.cards import masked, protect_card_number, reveal_card_number


def test_round_trip():
    assert reveal_card_number(protect_card_number("4111 1111 1111 1111")) == "4111111111111111"


def test_masked():
    assert masked(protect_card_number("5500 0000 0000 0004")) == "**** **** **** 0004"
