"""PF-JWT: which decodes are findings, and what key the fix passes."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.codemods.base import Unfixable
from provenfix.detect import Scope, detect
from provenfix.workspace import SourceFile

LIBRARY = Scope(public_api=True)
SIGNER = '''
import jwt

SECRET_KEY = "k" * 32


def issue(user):
    return jwt.encode({"sub": user}, SECRET_KEY, algorithm="HS384")
'''


def _items(files: dict[str, str], scope: Scope = LIBRARY):
    found = detect([SourceFile(p, textwrap.dedent(t)) for p, t in files.items()], scope=scope)
    return [d for d in found.items if d.finding.rule_id == "PF-JWT"], found.index


def _rules(src: str, path: str = "m.py", scope: Scope = LIBRARY) -> list[int]:
    return [d.finding.location.start_line for d in _items({path: src}, scope)[0]]


@pytest.mark.parametrize("call", [
    'jwt.decode(token, options={"verify_signature": False})',
    'jwt.decode(token, "key", algorithms=["HS256"], options={"verify_signature": False})',
    'jwt.decode_complete(token, options={"verify_signature": False})["payload"]',
    'jwt.decode(token, options=NO_CHECK)',
    'jwt.decode(token, verify=False)',
    'jwt.PyJWT().decode(token, options={"verify_signature": False})',
])
def test_unverified_decodes_of_a_callers_token_are_found(call: str) -> None:
    src = f'import jwt\n\nNO_CHECK = {{"verify_signature": False}}\n\n\ndef who(token):\n    return {call}\n'
    assert _rules(src) == [7]


def test_jose_unverified_claims_and_decode() -> None:
    src = ('from jose import jwt\n\n\ndef a(token):\n    return jwt.get_unverified_claims(token)\n\n\n'
           'def b(token):\n    return jwt.decode(token, "k", options={"verify_signature": False})["sub"]\n')
    assert _rules(src) == [5, 9]


def test_request_token_is_high_confidence_and_verify_false_medium() -> None:
    src = '''
    import jwt
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/me")
    def me():
        return jwt.decode(request.headers["Authorization"], options={"verify_signature": False})


    @app.route("/old")
    def old():
        return jwt.decode(request.cookies["t"], "k", verify=False)
    '''
    items, _ = _items({"app.py": src}, Scope())
    assert [(d.finding.location.start_line, d.finding.confidence) for d in items] == [(10, "high"), (15, "medium")]


@pytest.mark.parametrize("body", [
    'return jwt.decode(token, SECRET, algorithms=["HS256"])',  # verified
    'return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})',  # the signature is checked
    'return jwt.get_unverified_header(token)["kid"]',  # a header is no claim
    # peeking at the issuer before a verified decode
    'iss = jwt.decode(token, options={"verify_signature": False})["iss"]\n'
    '    return jwt.decode(token, KEYS[iss], algorithms=["HS256"])',
    # a client reading when its own token expires
    'return jwt.decode(token, options={"verify_signature": False})["exp"]',
    'c = jwt.decode(token, options={"verify_signature": False})\n    return c["exp"] - c.get("iat", 0)',
    # the code's own token, not one a caller hands in
    'return jwt.decode(STORED, options={"verify_signature": False})',
])
def test_safe_look_alikes_are_not_found(body: str) -> None:
    src = f'import jwt\n\nSECRET = "s" * 32\nKEYS = {{}}\nSTORED = "a.b.c"\n\n\ndef f(token):\n    {body}\n'
    assert _rules(src) == []


def test_test_files_are_not_found() -> None:
    src = 'import jwt\n\n\ndef check(token):\n    return jwt.decode(token, options={"verify_signature": False})\n'
    assert _rules(src, path="tests/test_tokens.py") == []


def _plan(files: dict[str, str]):
    from provenfix.recipes.jwt_verify import _key_plan

    items, index = _items(files)
    assert items, "no finding"
    return _key_plan(items[0].match.site, index)


def test_key_and_algorithm_come_from_the_projects_encode() -> None:
    plan = _plan({"auth/tokens.py": SIGNER, "auth/views.py": '''
    import jwt


    def who(token):
        return jwt.decode(token, options={"verify_signature": False})
    '''})
    assert (plan.key_code, plan.algorithms, plan.imports) == ("SECRET_KEY", '["HS384"]', [("auth.tokens", "SECRET_KEY")])
    assert (plan.eval_code, plan.eval_module) == ("SECRET_KEY", "auth.tokens")


def test_a_secret_constant_without_encode() -> None:
    plan = _plan({"m.py": '''
    import os
    import jwt

    JWT_SECRET = os.environ["JWT_SECRET"]
    JWT_ALGORITHM = "HS512"


    def who(token):
        return jwt.decode(token, options={"verify_signature": False})
    '''})
    assert (plan.key_code, plan.algorithms, plan.imports) == ("JWT_SECRET", '["HS512"]', [])


def test_a_key_read_in_the_encoding_function_is_followed() -> None:
    plan = _plan({"m.py": '''
    import jwt
    from flask import current_app


    def issue(user):
        key = current_app.config["JWT_KEY"]
        return jwt.encode({"sub": user}, key, algorithm="HS256")


    def who(token):
        return jwt.decode(token, options={"verify_signature": False})
    '''})
    assert (plan.key_code, plan.imports) == ('current_app.config["JWT_KEY"]', [])


@pytest.mark.parametrize(("files", "reason"), [
    ({"m.py": 'import jwt\n\n\ndef who(token):\n    return jwt.decode(token, options={"verify_signature": False})\n'},
     "no signing key found in the project"),
    ({"m.py": 'import jwt\n\nPRIVATE_KEY = open("k.pem").read()\n\n\ndef issue(u):\n'
              '    return jwt.encode({"sub": u}, PRIVATE_KEY, algorithm="RS256")\n\n\n'
              'def who(token):\n    return jwt.decode(token, options={"verify_signature": False})\n'},
     "public-key algorithm"),
    ({"m.py": 'import jwt\n\n\ndef issue(u, key):\n    return jwt.encode({"sub": u}, key, algorithm="HS256")\n\n\n'
              'def who(token):\n    return jwt.decode(token, options={"verify_signature": False})\n'},
     "cannot be reached from the decode"),
])
def test_unfixable_with_a_reason(files: dict[str, str], reason: str) -> None:
    with pytest.raises(Unfixable, match=reason):
        _plan(files)


def test_the_calls_own_key_stays_and_a_list_naming_none_is_replaced() -> None:
    plan = _plan({"m.py": '''
    import jwt

    SECRET = "s" * 32


    def who(token):
        return jwt.decode(token, SECRET, algorithms=["none", "HS256"], options={"verify_signature": False})
    '''})
    assert (plan.key_code, plan.algorithms, plan.eval_code) == (None, '["HS256"]', "SECRET")


def test_a_public_key_decode_keeps_its_key_and_algorithms() -> None:
    plan = _plan({"m.py": '''
    import jwt

    PUBLIC_KEY = open("idp.pem").read()


    def who(token):
        return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], options={"verify_signature": False})
    '''})
    assert (plan.key_code, plan.algorithms, plan.algorithm) == (None, None, "RS256")
