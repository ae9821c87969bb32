from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from provenfix.codemods.command import fix_command, fix_command_helper

from .harness import assert_unfixable, function, load, run_and_assert, span_at


def test_os_system_concatenation_keeps_comments_and_formatting() -> None:
    run_and_assert(
        fix_command,
        """\
        import os


        def ping(host):
            # ping it once
            status = os.system("ping -c 1 " + host)  # noqa: S605
            return status  ,  'single'
        """,
        """\
        import os
        import subprocess


        def ping(host):
            # ping it once
            status = subprocess.run(["ping", "-c", "1", host], check=False).returncode  # noqa: S605
            return status  ,  'single'
        """,
        at='os.system("ping -c 1 " + host)',
    )


def test_popen_read_becomes_captured_run() -> None:
    run_and_assert(
        fix_command,
        """\
        import os

        def listing(path):
            return os.popen(f"ls -l {path}").read().splitlines()
        """,
        """\
        import os
        import subprocess

        def listing(path):
            return subprocess.run(["ls", "-l", str(path)], capture_output=True, text=True, check=False).stdout.splitlines()
        """,
        at='os.popen(f"ls -l {path}")',
    )


def test_popen_read_later_becomes_a_stream_of_the_runs_output() -> None:
    run_and_assert(
        fix_command,
        """\
        import os

        def tail(name):
            stream = os.popen("tail -n 5 " + name)
            return [line.rstrip() for line in stream]
        """,
        """\
        import os
        import io
        import subprocess

        def tail(name):
            stream = io.StringIO(subprocess.run(["tail", "-n", "5", name], stdout=subprocess.PIPE, text=True, check=False).stdout)
            return [line.rstrip() for line in stream]
        """,
        at='os.popen("tail -n 5 " + name)',
    )


@pytest.mark.parametrize(("before", "after"), [
    ('subprocess.run(f"wc -l {p} 2>&1", shell=True, capture_output=True, text=True)',
     'subprocess.run(["wc", "-l", str(p)], text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)'),
    ('subprocess.check_output("wc -l " + p + " 2>&1", shell=True)',
     'subprocess.check_output(["wc", "-l", p], stderr=subprocess.STDOUT)'),
    ('os.popen("wc -l " + p + " 2>&1").read()',
     'subprocess.run(["wc", "-l", p], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False).stdout'),
])
def test_stderr_into_stdout_is_said_to_subprocess(before: str, after: str) -> None:
    run_and_assert(fix_command, f"import os\nimport subprocess\n\ndef count(p):\n    return {before}\n",
                   f"import os\nimport subprocess\n\ndef count(p):\n    return {after}\n", at=before.split(".read()")[0])


def test_other_redirections_and_stderr_set_twice_are_refused() -> None:
    two = 'subprocess.run("wc -l " + p + " 2>&1", shell=True, stderr=subprocess.DEVNULL)'
    assert_unfixable(fix_command, f"import subprocess\ndef f(p):\n    {two}\n", at=two, match="stderr= too")
    to_file = 'subprocess.run("wc -l " + p + " 2>err.txt", shell=True)'
    assert_unfixable(fix_command, f"import subprocess\ndef f(p):\n    {to_file}\n", at=to_file, match="redirection")


def test_subprocess_alias_drops_shell_and_keeps_other_arguments() -> None:
    run_and_assert(
        fix_command,
        """\
        import subprocess as sp

        def grep(pattern):
            return sp.run("grep -n '" + pattern + "' notes.txt", shell=True, capture_output=True, timeout=5)
        """,
        """\
        import subprocess as sp

        def grep(pattern):
            return sp.run(["grep", "-n", pattern, "notes.txt"], capture_output=True, timeout=5)
        """,
        at="""sp.run("grep -n '" + pattern + "' notes.txt", shell=True, capture_output=True, timeout=5)""",
    )


def test_from_import_alias_with_trailing_comma() -> None:
    run_and_assert(
        fix_command,
        """\
        from subprocess import run as sh

        def show(name):
            sh(
                "cat {}".format(name),
                shell=True,
            )
        """,
        """\
        from subprocess import run as sh

        def show(name):
            sh(
                ["cat", str(name)],
            )
        """,
        at=lambda node: type(node).__name__ == "Call" and getattr(node.func, "id", "") == "sh",
    )


def test_from_os_import_system_and_existing_subprocess_alias_is_reused() -> None:
    run_and_assert(
        fix_command,
        """\
        from os import system
        import subprocess as sp

        def archive(name):
            system("tar czf %s.tgz %s" % (name, name))
        """,
        """\
        from os import system
        import subprocess as sp

        def archive(name):
            sp.run(["tar", "czf", f"{name}.tgz", str(name)], check=False).returncode
        """,
        at='system("tar czf %s.tgz %s" % (name, name))',
    )


@pytest.mark.parametrize("func", ["call", "check_call", "check_output", "Popen"])
def test_every_subprocess_function(func: str) -> None:
    run_and_assert(
        fix_command,
        f"""\
        import subprocess

        def run(n):
            return subprocess.{func}("echo " + n, shell=True)
        """,
        f"""\
        import subprocess

        def run(n):
            return subprocess.{func}(["echo", n])
        """,
        at=f'subprocess.{func}("echo " + n, shell=True)',
    )


def test_glued_value_becomes_fstring_and_percent_d_becomes_str() -> None:
    run_and_assert(
        fix_command,
        """\
        import os

        def resize(name, width):
            os.system("convert --name=%s -w %d in.png" % (name, width))
        """,
        """\
        import os
        import subprocess

        def resize(name, width):
            subprocess.run(["convert", f"--name={name}", "-w", str(width), "in.png"], check=False).returncode
        """,
        at='os.system("convert --name=%s -w %d in.png" % (name, width))',
    )


def test_format_keywords_and_join_list() -> None:
    run_and_assert(
        fix_command,
        """\
        import os

        def fetch(url, out):
            os.system(" ".join(["curl", "-o", out, "--url={u}".format(u=url)]))
        """,
        """\
        import os
        import subprocess

        def fetch(url, out):
            subprocess.run(["curl", "-o", out, f"--url={url}"], check=False).returncode
        """,
        at='os.system(" ".join(["curl", "-o", out, "--url={u}".format(u=url)]))',
    )


def test_local_variable_is_rewritten_to_build_the_list() -> None:
    run_and_assert(
        fix_command,
        """\
        import os

        def ping(host, count):
            cmd = "ping -c " + str(count)
            cmd += " " + host  # target
            return os.system(cmd)
        """,
        """\
        import os
        import subprocess

        def ping(host, count):
            cmd = ["ping", "-c", str(count)]
            cmd += [host]  # target
            return subprocess.run(cmd, check=False).returncode
        """,
        at="os.system(cmd)",
    )


def test_call_nested_deeper_than_the_assignment() -> None:
    run_and_assert(
        fix_command,
        """\
        import os

        def ping(host, really):
            cmd = "ping -c 1 " + host
            if really:
                return os.system(cmd)
        """,
        """\
        import os
        import subprocess

        def ping(host, really):
            cmd = ["ping", "-c", "1", host]
            if really:
                return subprocess.run(cmd, check=False).returncode
        """,
        at="os.system(cmd)",
    )


def test_word_straddling_statements_is_folded_into_the_first_assignment() -> None:
    run_and_assert(
        fix_command,
        """\
        import os

        def tag(name):
            cmd = "git tag v"
            cmd += name
            os.system(cmd)
        """,
        """\
        import os
        import subprocess

        def tag(name):
            cmd = ["git", "tag", f"v{name}"]
            subprocess.run(cmd, check=False).returncode
        """,
        at="os.system(cmd)",
    )


def test_variable_used_elsewhere_is_inlined_at_the_sink() -> None:
    run_and_assert(
        fix_command,
        """\
        import logging, os

        def ping(host):
            cmd = "ping -c 1 " + host
            logging.info("running %s", cmd)
            return os.system(cmd)
        """,
        """\
        import logging, os
        import subprocess

        def ping(host):
            cmd = "ping -c 1 " + host
            logging.info("running %s", cmd)
            return subprocess.run(["ping", "-c", "1", host], check=False).returncode
        """,
        at="os.system(cmd)",
    )


def test_command_from_helper_only_drops_the_shell() -> None:
    source = """\
        import os
        import subprocess

        def go(h):
            os.system(build(h))
            subprocess.run(build(h), shell=True, check=True)
        """
    once = run_and_assert(
        fix_command,
        source,
        """\
        import os
        import subprocess

        def go(h):
            subprocess.run(build(h), check=False).returncode
            subprocess.run(build(h), shell=True, check=True)
        """,
        at="os.system(build(h))",
        command_from_helper=True,
    )
    run_and_assert(
        fix_command,
        once,
        """\
        import os
        import subprocess

        def go(h):
            subprocess.run(build(h), check=False).returncode
            subprocess.run(build(h), check=True)
        """,
        at="subprocess.run(build(h), shell=True, check=True)",
        command_from_helper=True,
    )


def test_helper_returns_the_argv_list() -> None:
    run_and_assert(
        fix_command_helper,
        """\
        def build(host: str, port: int) -> str:
            \"\"\"The probe command.\"\"\"
            return f"nc -z {host} {port}"
        """,
        """\
        def build(host: str, port: int) -> list[str]:
            \"\"\"The probe command.\"\"\"
            return ["nc", "-z", host, str(port)]
        """,
        at=function("build"),
    )


def test_helper_with_local_assignment() -> None:
    run_and_assert(
        fix_command_helper,
        """\
        def build(host):
            cmd = "ping -c 1 " + host
            return cmd
        """,
        """\
        def build(host):
            cmd = ["ping", "-c", "1", host]
            return cmd
        """,
        at=function("build"),
    )


def test_non_ascii_before_the_call_uses_character_columns() -> None:
    run_and_assert(
        fix_command,
        """\
        import os
        def grüße(n): return "héllo", os.system("echo " + n)
        """,
        """\
        import os
        import subprocess

        def grüße(n): return "héllo", subprocess.run(["echo", n], check=False).returncode
        """,
        at='os.system("echo " + n)',
    )


@pytest.mark.parametrize(
    ("command", "feature"),
    [
        ('"ls " + d + " | wc -l"', "pipe"),
        ('"sort < " + f', "redirection '<'"),
        ('"echo " + m + " > out.txt"', "redirection '>'"),
        ('"cd /tmp; rm " + f', r"'cd' is a shell builtin|separator ';'"),
        ('"make " + t + " && echo ok"', "'&&'"),
        ('"test -f " + f + " || exit"', r"'\|\|'"),
        ('"sleep " + n + " &"', "background job"),
        ('"echo $(whoami) " + n', r"command substitution '\$\('"),
        ('"echo `id` " + n', "command substitution '`'"),
        ('"echo $HOME " + n', "variable expansion"),
        ('"rm -f *.tmp " + n', "glob pattern '\\*'"),
        ('"ls file? " + n', "glob pattern '\\?'"),
        ('"ls [ab] " + n', "glob pattern '\\['"),
        ('"ls ~/x " + n', "home-directory"),
        ('"cd " + d', "shell builtin"),
        ('"FOO=1 run " + d', "environment assignment"),
        ('d + " --help"', "program name itself"),
        ("d", "not a string built from literals"),
        ("make_command(d)", "not a string built from literals"),
    ],
)
def test_refuses_what_an_argv_list_cannot_express(command: str, feature: str) -> None:
    assert_unfixable(
        fix_command,
        f"""\
        import os
        def run(d, f, m, n, t):
            os.system({command})
        """,
        at=f"os.system({command})",
        match=feature,
    )


def test_refuses_other_cases() -> None:
    popen = "import os\ndef f(d):\n    return os.popen('ls ' + d, 'w')\n"
    assert_unfixable(fix_command, popen, at="os.popen('ls ' + d, 'w')", match="mode other than 'r'")
    no_shell = "import subprocess\ndef f(d):\n    subprocess.run('ls ' + d)\n"
    assert_unfixable(fix_command, no_shell, at="subprocess.run('ls ' + d)", match="shell=True")
    conditional = "import os\ndef f(d, v):\n    c = 'ls ' + d\n    if v:\n        c += ' -l'\n    os.system(c)\n"
    assert_unfixable(fix_command, conditional, at="os.system(c)", match="built conditionally")
    twice = "import os\ndef f(d):\n    c = 'ls'\n    c = 'ls ' + d\n    os.system(c)\n"
    assert_unfixable(fix_command, twice, at="os.system(c)", match="assigned more than once")
    helper_flag = "import os\ndef f(d):\n    os.system(d)\n"
    assert_unfixable(fix_command, helper_flag, at="os.system(d)", match="call of the helper", command_from_helper=True)
    other = "def f(d):\n    print('ls ' + d)\n"
    assert_unfixable(fix_command, other, at="print('ls ' + d)", match="not os.system")
    helper = "def build(d):\n    if d:\n        return 'ls ' + d\n    return 'ls'\n"
    assert_unfixable(fix_command_helper, helper, at=function("build"), match="exactly one")


def test_refuses_when_no_node_at_span() -> None:
    source = "import os\nos.system('ls ' + d)\n"
    wrong = span_at(source, "'ls ' + d")  # a BinOp, not a call
    with pytest.raises(Exception, match="no call at line 2") as info:
        fix_command(source, wrong)
    assert type(info.value).__name__ == "Unfixable"


VULNERABLE = textwrap.dedent(
    """\
    import os

    def shout(message):
        return os.popen("echo " + message).read()

    def status(message):
        return os.system("echo " + message + " >/dev/null") == 0

    def succeeds(message):
        return os.system("echo " + message) == 0
    """
)


def test_fixed_code_runs_without_a_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    payload = "hi; touch CANARY"
    # The unfixed code really is exploitable, so the assertions below can fail.
    load(VULNERABLE, "shout")(payload)
    assert (tmp_path / "CANARY").exists()
    (tmp_path / "CANARY").unlink()

    fixed = fix_command(VULNERABLE, span_at(VULNERABLE, 'os.popen("echo " + message)'))
    shout = load(fixed, "shout")
    assert shout("hello") == "hello\n"
    assert shout(payload) == payload + "\n"
    assert not (tmp_path / "CANARY").exists()

    fixed = fix_command(fixed, span_at(fixed, 'os.system("echo " + message)'))
    succeeds = load(fixed, "succeeds")
    assert succeeds("hello") is True
    assert succeeds(payload) is True
    assert not (tmp_path / "CANARY").exists()


def test_refuses_redirection_even_in_a_real_module() -> None:
    assert_unfixable(fix_command, VULNERABLE, at='os.system("echo " + message + " >/dev/null")', match="redirection")


def test_constant_words_split_as_their_own_arguments() -> None:
    run_and_assert(
        fix_command,
        """\
        import subprocess

        PREFIX = "echo ping "


        def archive(out, src, compress):
            flags = "-czf " if compress else "-cf "
            return subprocess.call("tar " + flags + out + " " + PREFIX + src, shell=True)
        """,
        """\
        import subprocess

        PREFIX = "echo ping "


        def archive(out, src, compress):
            flags = "-czf " if compress else "-cf "
            return subprocess.call(["tar", *flags.split(), out, *PREFIX.split(), src])
        """,
        at='subprocess.call("tar " + flags + out + " " + PREFIX + src, shell=True)',
    )


@pytest.mark.parametrize(
    ("constant", "reason"),
    [('FLAG = "--name="', "glued"), ('FLAG = "-x | tee "', "shell syntax"), ('FLAG = "-x \'a b\' "', "shell syntax")],
)
def test_constant_words_that_do_not_split_cleanly_are_refused(constant: str, reason: str) -> None:
    assert_unfixable(
        fix_command,
        f"""\
        import os

        {constant}


        def run(value):
            os.system("tool " + FLAG + value)
        """,
        match=reason,
        at='os.system("tool " + FLAG + value)',
    )


def test_constant_program_name_is_trusted() -> None:
    run_and_assert(
        fix_command_helper,
        """\
        PROBE = "echo ping "


        def build(host):
            return PROBE + host
        """,
        """\
        PROBE = "echo ping "


        def build(host):
            return [*PROBE.split(), host]
        """,
        at=function("build"),
    )
