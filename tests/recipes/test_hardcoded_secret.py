"""PF-SECRET: which literals are credentials, and the variables a fix may have the verifier set.

The variable's name comes from the scanned code, so a hostile repository chooses it: it must never
be one the interpreter, the loader or ProvenFix reads (`PYTHONSTARTUP`, `LD_PRELOAD`)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from provenfix import api
from provenfix.detect import detect
from provenfix.model import Candidate, Explanation, ProofTest, Status
from provenfix.workspace import SourceFile


def secrets_in(src: str, path: str = "pkg/settings.py") -> list[int]:
    found = detect([SourceFile(path, textwrap.dedent(src))]).findings
    return [f.location.start_line for f in found if f.rule_id == "PF-SECRET"]


@pytest.mark.parametrize("line", [
    'API_KEY = "sk_live_51HxQ2eLkd93"',
    'DB_PASSWORD = "Pg!2024prod"',
    'GITHUB_TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"',
    'SECRET_KEY = "django-insecure-7x#k2!pq9vz@m4w8r"',
    'WEBHOOK_SIGNING_KEY = b"whsec_9f8e7d6c5b4a"',
    'clientSecret = "aB3dE5fG7hJ9"',
])
def test_a_credential_assigned_in_the_source_is_reported(line: str) -> None:
    assert secrets_in(line + "\n") == [1]


@pytest.mark.parametrize("line", [
    'API_KEY = os.environ["API_KEY"]',
    'DB_PASSWORD = "change-me"',
    'SMTP_PASSWORD = "<smtp password>"',
    'AUTH_TOKEN = ""',
    'PASSWORD_FIELD = "password"',
    'CSRF_TOKEN = "csrf_token"',
    'TOKEN_URL = "https://auth.example.com/token"',
    'PRIVATE_KEY = "/etc/app/private.pem"',
    'API_KEY_HEADER = "X-Api-Key"',
    'PASSWORD_MIN_LENGTH = 12',
    'SORT_KEY = "a1b2c3d4e5"',  # a key that is no secret
    'SESSION_KEY = "_auth_user_id"',  # Django's: the name of a session entry
    'INTERNAL_RESET_SESSION_TOKEN = "_password_reset_token"',
    'SECRET_KEY = "not-a-secret-for-tests"',
    'API_KEY = "${API_KEY}"',
])
def test_placeholders_names_and_non_secrets_are_not(line: str) -> None:
    assert secrets_in("import os\n" + line + "\n") == []


@pytest.mark.parametrize(("call", "reported"), [
    ('smtp.login(user, password="Rel4y!alerts-2024")', True),
    ('ldap3.Connection(server, user="cn=svc", password="Svc#Lookup-7731")', True),
    ('client = Client(api_key="sk_live_51HxQ2eLkd93")', True),
    ('smtp.login(user, password=os.environ["SMTP_PASSWORD"])', False),
    ('smtp.login(user, password="")', False),
    ('form.add_field(name="password", password="password")', False),
    ('smtp.login(user, "Rel4y!alerts-2024")', False),  # positional: what it is, only the callee says
])
def test_a_credential_passed_as_a_keyword_is_reported(call: str, reported: bool) -> None:
    assert secrets_in(f"import os\n\ndef send(smtp, server, user, form):\n    {call}\n") == ([4] if reported else [])


@pytest.mark.parametrize("src, lines", [
    ('def f():\n    api_key = "sk_live_51HxQ2eLkd93"\n    return api_key\n', [2]),
    ('class Config:\n    DEBUG = False\n    SECRET_KEY = "9e1Vq-blog-Zt47pWx0"\n', [3]),
    ('class TestingConfig:\n    SECRET_KEY = "9e1Vq-blog-Zt47pWx0"\n', []),  # the tests' key, not a deployment's
    ('def f(form):\n    password = form["password"]\n    token = "Bearer"\n    auth = "X-Auth-Token"\n', []),
])
def test_a_credential_in_a_class_or_a_function_is_reported(src: str, lines: list[int]) -> None:
    assert secrets_in(src) == lines


def test_a_local_credential_is_read_from_a_variable_named_for_it(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mailer.py").write_text(
        'def send(s):\n    password = "Rel4y!alerts-2024"\n    smtp_password = "Rel4y!alerts-2025"\n'
        '    s.login("a", password)\n    s.login("b", smtp_password)\n')
    report = api.fix([str(tmp_path)], engine="builtin")
    assert sorted(v for f in report.fixes if f.status is Status.VERIFIED for v in f.candidate.environment) == [
        "MAILER_PASSWORD", "SMTP_PASSWORD"]
    patches = "".join(f.candidate.patch() for f in report.fixes)
    assert '_required_env("MAILER_PASSWORD")' in patches and '+    password = "Rel4y' not in patches


@pytest.mark.parametrize("name", ["LD_PRELOAD", "PYTHONSTARTUP", "PYTHONPATH", "PATH", "PROVENFIX_SCRATCH", "HOME",
                                  "lower_case", "DJANGO_SETTINGS_MODULE", "A" * 65])
def test_a_candidate_cannot_have_the_verifier_set_a_variable_the_runtime_reads(name: str) -> None:
    with pytest.raises(ValidationError):
        Candidate(finding_id="x", engine="llm", edits=[], explanation=Explanation(summary="", impact="", fix_rationale=""),
                  proof_test=ProofTest(path="tests/security/test_x.py", code=""), environment=[name])


def test_a_hostile_name_leaves_the_credential_unfixed_not_the_environment_poisoned(tmp_path: Path) -> None:
    """`LD_PRELOAD_TOKEN` names a secret, but a fix reading it would have the verifier set a loader variable."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "conf.py").write_text('LD_PRELOAD_TOKEN = "Zx9!kq2LmP4w"\n')
    report = api.fix([str(tmp_path)], engine="builtin")
    (fix,) = [f for f in report.fixes if f.finding.rule_id == "PF-SECRET"]
    assert fix.status is Status.UNFIXED and "not a name an environment variable may have" in (fix.reason or "")
    assert fix.candidate is None
