"""The virtsh program end to end: global options, command strings, argv mode,
the shell on piped stdin, builtins (through the real entry point)."""
import os
import subprocess
import sys

import pytest

BANNER = ("Welcome to virtsh, the virtualization interactive terminal.\n\n"
          "Type:  'help' for help with commands\n"
          "       'quit' to quit\n\n")


def virtsh(*argv, stdin=None, env=None, cwd=None):
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("LIBVIRT_", "VIRSH_"))}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "virtsh", *argv], input=stdin,
                          capture_output=True, text=True, env=environ, cwd=cwd,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


def test_command_string_runs_every_command_with_blank_lines():
    r = virtsh("echo 'a;b' \"c d\"; echo e # comment; echo never\necho f")
    assert (r.stdout, r.stderr, r.returncode) == ("a;b c d\ne\nf\n", "", 0)


def test_argv_mode_takes_words_literally():
    r = virtsh("echo", "a;", "'q'", "--string=x")
    assert r.stdout == "a; 'q' x\n"


def test_parse_error_runs_nothing():
    r = virtsh("echo first; list --bogus; echo never")
    assert (r.stdout, r.stderr, r.returncode) == (
        "", "error: command 'list' doesn't support option --bogus\n", 1)


def test_status_is_the_last_commands():
    assert virtsh("cd /; echo ok").returncode == 0
    failed = virtsh("echo ok; cd /")
    assert failed.returncode == 1
    assert failed.stderr == "error: cd: command valid only in interactive mode\n"


def test_empty_string_fails_blank_string_succeeds():
    assert virtsh("").returncode == 1
    assert virtsh("  ").returncode == 0


def test_quiet_and_timing():
    assert virtsh("-q", "echo a; echo b").stdout == "ab"
    timed = virtsh("-t", "echo a").stdout
    assert timed.startswith("a\n(Time: ") and timed.endswith(" ms)\n\n")


def test_debug_trace_and_range():
    r = virtsh("-d", "0", "echo", "hello", "world")
    assert r.stdout == "echo: string(optdata): hello\necho: string(optdata): world\nhello world\n"
    r = virtsh("-d", "1", "echo hi")
    assert r.stdout == 'commands: "echo hi"\necho: string(optdata): hi\nhi\n'
    r = virtsh("-d", "9", "echo", "x")
    assert (r.stdout, r.stderr, r.returncode) == (
        "x\n", "error: ignoring debug level 9 out of range [0-4]\n", 0)


@pytest.mark.parametrize("argv, error", [
    (["-z"], "error: unsupported option '-z'. See --help.\n"),
    (["-c"], "error: option '-c'/'--connect' requires an argument\n"),
    (["-d", "abc", "echo"], "error: option -d takes a numeric argument\n"),
    (["-k", "-1", "echo"], "error: option -k requires a positive integer argument\n"),
    (["-k", "abc", "echo"], "error: Invalid value for option -k\n"),
    (["-c", "test:///default", "pwd", "-q"], "error: unexpected data '-q'\n"),
])
def test_global_option_errors(argv, error):
    r = virtsh(*argv)
    assert (r.stdout, r.stderr, r.returncode) == ("", error, 1)


def test_version_and_help():
    assert virtsh("-v").stdout == "9.0.0\n"
    assert "virtsh" in virtsh("-V").stdout
    usage = virtsh("-h").stdout
    assert "-c | --connect=URI" in usage
    assert " Virsh itself (help keyword 'virsh')\n" in usage


def test_explicit_uri_connects_before_running():
    r = virtsh("-c", "bogus:///x", "echo", "hi")
    assert (r.stdout, r.returncode) == ("", 1)
    assert r.stderr == ("error: failed to connect to the hypervisor\n"
                        "error: no connection driver available for bogus:///x\n")


def test_environment_uri_connects_only_when_needed():
    r = virtsh("echo", "hi", env={"VIRSH_DEFAULT_CONNECT_URI": "bogus:///x"})
    assert (r.stdout, r.returncode) == ("hi\n", 0)
    r = virtsh("connect", env={"LIBVIRT_DEFAULT_URI": "bogus:///y"})
    assert r.stderr.endswith("no connection driver available for bogus:///y\n")


def test_keepalive_requested_on_a_driver_without_it():
    r = virtsh("-k", "5", "-c", "test:///default", "echo", "x")
    assert r.returncode == 1
    assert r.stderr == (
        "error: Cannot setup keepalive on connection as requested, disconnecting\n"
        "error: failed to connect to the hypervisor\n"
        "error: this function is not supported by the connection driver: "
        "virConnectSetKeepAlive\n")
    assert virsh_ok("-k", "0", "-c", "test:///default", "echo", "x")


def virsh_ok(*argv):
    return virtsh(*argv).returncode == 0


def test_connect_failure_in_a_string():
    r = virtsh("connect bogus:///x")
    assert (r.stdout, r.returncode) == ("\n", 1)
    assert r.stderr == ("error: failed to connect to the hypervisor\n"
                        "error: no connection driver available for bogus:///x\n")


def test_log_file_records_errors(tmp_path):
    log = tmp_path / "virtsh.log"
    virtsh("-l", str(log), "nosuch")
    line = log.read_text()
    assert line.startswith("[") and line.endswith("] ERROR unknown command: 'nosuch'\n")


def test_shell_on_piped_stdin():
    r = virtsh("-c", "test:///default", stdin="# note\n\necho hi\nbogus\nquit\necho never\n")
    assert r.stdout == (BANNER + "virtsh # # note\nvirtsh # \nvirtsh # echo hi\nhi\n"
                        "virtsh # bogus\nvirtsh # quit\n\n")
    assert (r.stderr, r.returncode) == ("error: unknown command: 'bogus'\n", 0)


def test_shell_quiet_readonly_prompt_and_last_line_without_newline():
    r = virtsh("-q", "-r", stdin="echo a")
    assert r.stdout == "virtsh > echo a\navirtsh > \n"


def test_shell_connect_changes_prompt_only_on_success():
    r = virtsh("-q", stdin="connect bogus:///x\nconnect test:///default --readonly\n")
    assert r.stdout == ("virtsh # connect bogus:///x\nvirtsh # connect test:///default "
                        "--readonly\nvirtsh > \n")


def test_shell_cd_and_pwd(tmp_path):
    r = virtsh("-q", stdin="cd %s\npwd\ncd /nonexistent-dir\n" % tmp_path, cwd="/")
    assert "virtsh # pwd\n%s\n" % tmp_path in r.stdout
    assert r.stderr == "error: cd: No such file or directory: /nonexistent-dir\n"


def test_stdin_is_ignored_when_a_command_is_given():
    assert virtsh("echo only", stdin="echo no\n").stdout == "only\n"


def test_pwd(tmp_path):
    assert virtsh("pwd", cwd=str(tmp_path)).stdout == "%s\n\n" % tmp_path


def test_echo_forms():
    assert virtsh("echo", "--shell", "a b", "it's", "", "x").stdout == "'a b' 'it'\\''s' '' x\n"
    assert virtsh("echo", "--xml", "<a href=\"x\">&").stdout == "&lt;a href=&quot;x&quot;&gt;&amp;\n"
    assert virtsh("echo", "--split", "a,b,,c", "d").stdout == "a\nb,c\n d\n\n"
    r = virtsh("echo --err to-stderr")
    assert (r.stdout, r.stderr, r.returncode) == ("\n", "error: to-stderr\n", 0)
    r = virtsh("echo --xml --shell a")
    assert r.stderr == "error: Options --shell and --xml are mutually exclusive\n"


def test_help_layouts():
    r = virtsh("help virsh")
    assert r.stdout.startswith(" Virsh itself (help keyword 'virsh'):\n    cd ")
    assert "self-test" not in r.stdout          # hidden commands stay unlisted
    r = virtsh("echo --help")
    assert r.stdout.startswith("  NAME\n    echo - ")
    assert "\n  SYNOPSIS\n    echo [--shell] [--xml] [--split] [--err] [<string>]...\n" in r.stdout
    assert "\n  OPTIONS\n    --shell          " in r.stdout
    r = virtsh("help nosuch")
    assert r.stderr == "error: command or command group 'nosuch' doesn't exist\n"
    all_groups = virtsh("help").stdout
    assert all_groups.startswith("Grouped commands:\n\n Domain Management (help keyword 'domain'):\n")


def test_broken_pipe_is_quiet():
    r = subprocess.run("%s -m virtsh -h | head -c1" % sys.executable, shell=True,
                       capture_output=True, text=True)
    assert r.stderr == ""
