"""A 52-card deck: build, shuffle, deal."""

import random

SUITS = "SHDC"
RANKS = ["2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K", "A"]


def new_deck() -> list[str]:
    """All 52 cards in a fixed order, e.g. ``"10H"``."""
    return [rank + suit for suit in SUITS for rank in RANKS]


def shuffled_deck() -> list[str]:
    """A new deck in random order."""
    deck = new_deck()
    random.shuffle(deck)
    return deck


def deal(deck: list[str], players: int, cards_each: int) -> list[list[str]]:
    """Deal ``cards_each`` cards to each player from the top of ``deck``."""
    hands = [[] for _ in range(players)]
    for _ in range(cards_each):
        for hand in hands:
            hand.append(deck.pop(0))
    return hands
