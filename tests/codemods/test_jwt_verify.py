from __future__ import annotations

import jwt
import pytest

from provenfix.codemods.jwt_verify import verify_decode

from .harness import assert_unfixable, load, run_and_assert

KEY = "SECRET_KEY"
ALGORITHMS = '["HS256"]'


def test_options_dropped_key_and_algorithms_added() -> None:
    run_and_assert(
        verify_decode,
        'import jwt\n\nclaims = jwt.decode(token, options={"verify_signature": False})\n',
        'import jwt\n\nclaims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])\n',
        at='jwt.decode(token, options={"verify_signature": False})', key=KEY, algorithms=ALGORITHMS,
    )


def test_other_options_are_kept() -> None:
    run_and_assert(
        verify_decode,
        'import jwt\n\nd = jwt.decode_complete(t, algorithms=["HS512"],\n'
        '                         options={"verify_signature": False, "require": ["sub"]})\n',
        'import jwt\n\nd = jwt.decode_complete(t, self.secret, algorithms=["HS512"],\n'
        '                         options={"require": ["sub"]})\n',
        at=lambda n: type(n).__name__ == "Call" and getattr(n.func, "attr", "") == "decode_complete",
        key="self.secret", algorithms=None,
    )


def test_key_already_passed_only_the_switch_goes() -> None:
    run_and_assert(
        verify_decode,
        'import jwt\n\nc = jwt.decode(t, KEY, algorithms=["HS256"], options={"verify_signature": False},)\n',
        'import jwt\n\nc = jwt.decode(t, KEY, algorithms=["HS256"],)\n',
        at=lambda n: type(n).__name__ == "Call" and getattr(n.func, "attr", "") == "decode", key=None, algorithms=None,
    )


def test_pyjwt1_verify_false_and_a_keyword_token() -> None:
    run_and_assert(
        verify_decode,
        "import jwt\n\nc = jwt.decode(jwt=t, verify=False)\n",
        'import jwt\n\nc = jwt.decode(jwt=t, key=SECRET_KEY, algorithms=["HS256"])\n',
        at="jwt.decode(jwt=t, verify=False)", key=KEY, algorithms=ALGORITHMS,
    )


def test_key_imported_from_the_module_that_signs() -> None:
    run_and_assert(
        verify_decode,
        'import jwt\n\nfrom shop.security import create_token\n\nc = jwt.decode(t, options={"verify_signature": False})\n',
        'import jwt\n\nfrom shop.security import JWT_SECRET, create_token\n\nc = jwt.decode(t, JWT_SECRET, algorithms=["HS256"])\n',
        at='jwt.decode(t, options={"verify_signature": False})', key="JWT_SECRET", algorithms=ALGORITHMS,
        imports=[("shop.security", "JWT_SECRET")],
    )


def test_jose_unverified_claims_becomes_decode() -> None:
    run_and_assert(
        verify_decode,
        "from jose import jwt\n\nc = jwt.get_unverified_claims(t)\n",
        'from jose import jwt\n\nc = jwt.decode(t, KEY, algorithms=["HS256"])\n',
        at="jwt.get_unverified_claims(t)", key="KEY", algorithms=ALGORITHMS, rename="decode",
    )


def test_options_by_name_only_when_the_recipe_knows_them() -> None:
    source = "import jwt\n\nc = jwt.decode(t, options=NO_CHECK)\n"
    assert_unfixable(verify_decode, source, at="jwt.decode(t, options=NO_CHECK)", match="options come from elsewhere",
                     key=KEY, algorithms=ALGORITHMS)
    run_and_assert(verify_decode, source, 'import jwt\n\nc = jwt.decode(t, SECRET_KEY, algorithms=["HS256"])\n',
                   at="jwt.decode(t, options=NO_CHECK)", key=KEY, algorithms=ALGORITHMS, drop_options=True)


def test_double_star_is_refused() -> None:
    assert_unfixable(verify_decode, "import jwt\n\nc = jwt.decode(t, **opts)\n", at="jwt.decode(t, **opts)",
                     match="keyword arguments", key=KEY, algorithms=ALGORITHMS)


def test_fixed_code_refuses_forged_tokens_and_keeps_real_ones() -> None:
    fixed = run_and_assert(
        verify_decode,
        'import jwt\n\nSECRET_KEY = "k" * 32\n\n\ndef claims(token):\n'
        '    return jwt.decode(token, options={"verify_signature": False})\n',
        'import jwt\n\nSECRET_KEY = "k" * 32\n\n\ndef claims(token):\n'
        '    return jwt.decode(token, SECRET_KEY, algorithms=["HS256"])\n',
        at=lambda n: type(n).__name__ == "Call" and getattr(n.func, "attr", "") == "decode", key=KEY, algorithms=ALGORITHMS,
    )
    claims = load(fixed, "claims")
    assert claims(jwt.encode({"sub": "1"}, "k" * 32, algorithm="HS256")) == {"sub": "1"}
    for key, algorithm in ((None, "none"), ("x" * 32, "HS256")):
        with pytest.raises(jwt.InvalidTokenError):
            claims(jwt.encode({"sub": "1"}, key, algorithm=algorithm))
