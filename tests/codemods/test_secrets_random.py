from __future__ import annotations

import pytest

from provenfix.codemods.secrets_random import fix_random

from .harness import assert_unfixable, run_and_assert


@pytest.mark.parametrize(
    ("call", "fixed"),
    [
        ("random.choice(alphabet)", "secrets.choice(alphabet)"),
        ("random.getrandbits(128)", "secrets.randbits(128)"),
        ("random.randrange(10**6)", "secrets.randbelow(10**6)"),
        ("random.randrange(1, 7)", "secrets.SystemRandom().randrange(1, 7)"),
        ("random.randint(0, 9)", "secrets.SystemRandom().randint(0, 9)"),
        ("random.random()", "secrets.SystemRandom().random()"),
        ("random.choices(alphabet, k=16)", "secrets.SystemRandom().choices(alphabet, k=16)"),
        ("random.sample(alphabet, 4)", "secrets.SystemRandom().sample(alphabet, 4)"),
        ("random.shuffle(alphabet)", "secrets.SystemRandom().shuffle(alphabet)"),
        ("random.uniform(0, 1)", "secrets.SystemRandom().uniform(0, 1)"),
    ],
)
def test_draws_come_from_secrets(call: str, fixed: str) -> None:
    run_and_assert(
        fix_random,
        f"import random\n\nalphabet = list('abc')\ntoken = {call}  # secret\n",
        f"import random\nimport secrets\n\nalphabet = list('abc')\ntoken = {fixed}  # secret\n",
        at=call,
    )


def test_alias_and_from_import() -> None:
    run_and_assert(
        fix_random,
        "import random as r\nimport secrets as s\n\ncode = r.randint(1000, 9999)\n",
        "import random as r\nimport secrets as s\n\ncode = s.SystemRandom().randint(1000, 9999)\n",
        at="r.randint(1000, 9999)",
    )
    run_and_assert(
        fix_random,
        "from random import choice as pick\n\ndef token(chars):\n    return ''.join(pick(chars) for _ in range(32))\n",
        "from random import choice as pick\nimport secrets\n\ndef token(chars):\n    return ''.join(secrets.choice(chars) for _ in range(32))\n",
        at="pick(chars)",
    )


def test_random_instance_becomes_system_random() -> None:
    run_and_assert(
        fix_random,
        "import random\n\nrng = random.Random(1234)\n",
        "import random\n\nrng = random.SystemRandom()\n",
        at="random.Random(1234)",
    )
    run_and_assert(
        fix_random,
        "from random import Random\n\nrng = Random()\n",
        "from random import SystemRandom, Random\n\nrng = SystemRandom()\n",
        at="Random()",
    )


def test_refusals() -> None:
    assert_unfixable(fix_random, "import random\nrandom.seed(1)\n", at="random.seed(1)", match="no meaning")
    taken = "import random\nsecrets = {}\nkey = random.getrandbits(64)\n"
    assert_unfixable(fix_random, taken, at="random.getrandbits(64)", match="'secrets' is bound")
    assert_unfixable(fix_random, "import os\nos.urandom(4)\n", at="os.urandom(4)", match="not a call into the random")
