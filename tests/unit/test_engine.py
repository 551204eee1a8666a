"""virsh's command-line syntax: tokenizer, parser, global options, running."""
import io

import pytest

from virtsh import engine
from virtsh.control import Control
from virtsh.engine import ARG, END, END_COMMAND, ParseError, argv_tokens, string_tokens
from virtsh.main import c_integer, parse_global_options, UsageError, valid_escape


def words(text):
    """The token stream of *text* as a list of commands (lists of words)."""
    commands, current = [], []
    for kind, word in string_tokens(text):
        if kind == ARG:
            current.append(word)
        else:
            if current:
                commands.append(current)
            current = []
    return commands


def parse(text):
    return [(p.command.name, p.args.values) for p in engine.parse(string_tokens(text))]


def parse_error(text):
    with pytest.raises(ParseError) as info:
        engine.parse(string_tokens(text))
    return list(info.value.args)


# --- tokenizer ------------------------------------------------------------------
class TestTokenizer:
    def test_blanks_and_separators(self):
        assert words("echo a\tb ;echo c\necho d;;") == [["echo", "a", "b"], ["echo", "c"], ["echo", "d"]]

    def test_single_quotes_keep_everything(self):
        assert words(r"""echo 'a;b' 'p\q' 'say "hi"'""") == [["echo", "a;b", r"p\q", 'say "hi"']]

    def test_double_quotes_and_backslash(self):
        assert words(r'''echo "it's" "r\s" x\y a'b'c"d"e''') == [["echo", "it's", "rs", "xy", "abcde"]]

    def test_empty_quoted_words_are_words(self):
        assert words("echo '' \"\"") == [["echo", "", ""]]

    def test_quoted_newline_is_kept(self):
        assert words("echo 'a\nb'") == [["echo", "a\nb"]]

    def test_backslash_newline_is_elided(self):
        assert words("echo a\\\nb \\\n c") == [["echo", "ab", "c"]]

    def test_comment_runs_to_end_of_line_not_to_semicolon(self):
        assert words("echo a # x; echo never\necho a#b '#c'") == [["echo", "a"], ["echo", "a#b", "#c"]]

    def test_unterminated_single_quote_is_accepted(self):
        assert words("echo 'abc") == [["echo", "abc"]]

    def test_unterminated_double_quote(self):
        with pytest.raises(ParseError, match='missing "'):
            words('echo "abc')

    def test_dangling_backslash(self):
        with pytest.raises(ParseError, match=r"dangling \\"):
            words("echo a\\")

    def test_end_tokens(self):
        assert list(string_tokens("a;b")) == [(ARG, "a"), (END_COMMAND, None), (ARG, "b"), (END, None)]

    def test_argv_words_are_literal(self):
        assert list(argv_tokens(["a;", "'q'"])) == [(ARG, "a;"), (ARG, "'q'"), (END, None)]


# --- parser ----------------------------------------------------------------------
class TestParser:
    def test_positional_and_named_forms_agree(self):
        assert parse("dominfo test") == parse("dominfo --domain test") == parse("dominfo --domain=test")

    def test_bool_before_positional(self):
        assert parse("domstate --reason test") == [("domstate", {"reason": True, "domain": "test"})]

    def test_named_options_leave_positions_to_the_rest(self):
        name, values = parse("attach-disk --target vdb --source /x.img test --print-xml")[0]
        assert values == {"target": "vdb", "source": "/x.img", "domain": "test", "print-xml": True}

    def test_positional_fills_optional_strings_in_order(self):
        values = parse("attach-disk test /x.img vdb virtio")[0][1]
        assert values["targetbus"] == "virtio"

    def test_double_dash_makes_data(self):
        assert parse("echo -- --not-an-option -- x") == [("echo", {"string": ["--not-an-option", "--", "x"]})]

    def test_argv_option_collects_positional_and_named(self):
        assert parse("echo a --string b c") == [("echo", {"string": ["a", "b", "c"]})]

    def test_words_that_are_not_options(self):
        assert parse("echo -a ---x --=") == [("echo", {"string": ["-a", "---x", "--="]})]

    def test_alias_names_its_target(self):
        assert parse("setmem test --kilobytes 1024") == [("setmem", {"domain": "test", "size": "1024"})]

    def test_alias_with_implied_value(self):
        values = parse("attach-disk test a b --shareable")[0][1]
        assert values["mode"] == "shareable"

    def test_alias_with_implied_value_refuses_equals(self):
        assert parse_error("attach-disk test a b --shareable=x") == ["invalid '=' after option --shareable"]

    def test_alias_counts_as_its_target_for_repeats(self):
        assert parse_error("setmem test 1 --kilobytes 2") == ["option --size already seen"]

    def test_help_option_turns_into_help_command(self):
        assert parse("dominfo --help") == [("help", {"command": "dominfo"})]

    def test_help_option_of_alias_command_names_the_real_one(self):
        assert parse("nodedev-dettach --help") == [("help", {"command": "nodedev-detach"})]

    def test_help_command_ignores_unknown_options_and_extra_data(self):
        assert parse("help --foo bar baz") == [("help", {"command": "bar"})]

    def test_comment_word_ends_command(self):
        assert engine.parse(argv_tokens(["#x", "a"])) == []

    def test_several_commands(self):
        assert [name for name, _ in parse("echo a; pwd\nquit")] == ["echo", "pwd", "quit"]

    @pytest.mark.parametrize("text, error", [
        ("nosuchcmd", "unknown command: 'nosuchcmd'"),
        ("list --bogus", "command 'list' doesn't support option --bogus"),
        ("list --al", "command 'list' doesn't support option --al"),
        ("dominfo", "command 'dominfo' requires <domain> option"),
        ("dominfo --domain", "expected syntax: --domain <string>"),
        ("setmem x --size", "expected syntax: --size <number>"),
        ("list --all --all", "option --all already seen"),
        ("dominfo test --domain test", "option --domain already seen"),
        ("list extra", "unexpected data 'extra'"),
        ("list -a", "unexpected data '-a'"),
        ("list --all=yes", "invalid '=' after option --all"),
        ("echo --help=x", "invalid '=' after option --help"),
        ("setmem test", "command 'setmem' requires --size option"),
        ("dominfo --bogus --help", "command 'dominfo' doesn't support option --bogus"),
    ])
    def test_errors(self, text, error):
        assert parse_error(text) == [error]

    def test_every_missing_required_option_is_reported(self):
        assert parse_error("allocpages") == ["command 'allocpages' requires --pagesize option",
                                             "command 'allocpages' requires --pagecount option"]

    def test_first_error_from_the_left_wins(self):
        assert parse_error('nosuch; echo "x') == ["unknown command: 'nosuch'"]
        assert parse_error('echo "x; nosuch') == ['missing "']

    def test_trace_lines(self):
        lines = []
        engine.parse(string_tokens("echo --shell hi"), trace=lines.append)
        assert lines == ["echo: shell(bool): (none)", "echo: string(optdata): hi"]


# --- running ---------------------------------------------------------------------
def control(**kw):
    ctl = Control(**kw)
    ctl.out, ctl.err = io.StringIO(), io.StringIO()
    return ctl


class TestRun:
    def test_blank_line_after_each_command_and_last_status(self):
        ctl = control()
        assert engine.run_string(ctl, "echo a; echo b") is True
        assert ctl.out.getvalue() == "a\nb\n"

    def test_quiet_drops_the_blank_line(self):
        ctl = control(quiet=True)
        engine.run_string(ctl, "echo a; echo b")
        assert ctl.out.getvalue() == "ab"

    def test_timing_line(self):
        ctl = control(timing=True, quiet=True)
        engine.run_string(ctl, "echo a")
        assert ctl.out.getvalue().startswith("a\n(Time: ")
        assert ctl.out.getvalue().endswith(" ms)\n\n")

    def test_failure_goes_on_and_last_status_counts(self):
        ctl = control()
        assert engine.run_string(ctl, "cd /; echo ok") is True
        assert ctl.err.getvalue() == "error: cd: command valid only in interactive mode\n"
        assert engine.run_string(ctl, "echo ok; cd /") is False

    def test_parse_error_runs_nothing(self):
        ctl = control()
        assert engine.run_string(ctl, "echo a; list --bogus") is False
        assert ctl.out.getvalue() == ""

    def test_quit_stops_without_blank_line(self):
        ctl = control()
        engine.run_string(ctl, "echo a; quit; echo b")
        assert ctl.out.getvalue() == "a\n"

    def test_unexpected_exception_is_one_error_line(self):
        from virtsh.args import Args
        from virtsh.cmd import Command

        def broken(ctl, args):
            raise KeyError("boom")
        cmd = Command("broken", "", (), (), broken, "", True, False, __name__)
        ctl = control()
        assert engine.run(ctl, [engine.Parsed(cmd, Args(cmd))]) is False
        assert ctl.err.getvalue() == "error: KeyError: 'boom'\n"

    def test_connect_failure_lines(self):
        ctl = control(uri="bogus:///x")
        assert engine.run_string(ctl, "pwd; list") is False
        assert ctl.err.getvalue() == ("error: failed to connect to the hypervisor\n"
                                      "error: no connection driver available for bogus:///x\n")


# --- global options --------------------------------------------------------------
class TestGlobalOptions:
    def test_combined_short_and_rest(self):
        ctl = control()
        assert parse_global_options(ctl, ["-qr", "-c", "test:///default", "list", "-q"]) == ["list", "-q"]
        assert (ctl.quiet, ctl.readonly, ctl.uri) == (True, True, "test:///default")

    def test_long_forms_prefixes_and_last_wins(self):
        ctl = control()
        rest = parse_global_options(ctl, ["--conn=a", "--connect", "b", "-cc", "--read", "--", "-x"])
        assert (ctl.uri, ctl.readonly, rest) == ("c", True, ["-x"])

    def test_attached_and_separate_values(self):
        ctl = control()
        parse_global_options(ctl, ["-d2", "-k", "0x10", "-K010", "-e", "^a", "-t"])
        assert (ctl.debug, ctl.keepalive_interval, ctl.keepalive_count, ctl.escape, ctl.timing) == \
            (2, 16, 8, "^a", True)

    def test_debug_out_of_range_is_ignored_with_an_error(self):
        ctl = control()
        parse_global_options(ctl, ["-d", "9"])
        assert ctl.debug is None
        assert ctl.err.getvalue() == "error: ignoring debug level 9 out of range [0-4]\n"

    @pytest.mark.parametrize("argv, error", [
        (["-z"], "unsupported option '-z'. See --help."),
        (["-qz"], "unsupported option '-z'. See --help."),
        (["--bogus"], "unsupported option '--bogus'. See --help."),
        (["--ke", "1"], "unsupported option '--ke'. See --help."),
        (["--quiet=1"], "unsupported option '-q'. See --help."),
        (["-c"], "option '-c'/'--connect' requires an argument"),
        (["--log"], "option '-l'/'--log' requires an argument"),
        (["-d", "abc"], "option -d takes a numeric argument"),
        (["-k", "-1"], "option -k requires a positive integer argument"),
        (["-K", "abc"], "Invalid value for option -K"),
        (["-k", "99999999999"], "Invalid value for option -k"),
        (["-e", "ab"], "Invalid string 'ab' for escape sequence"),
    ])
    def test_errors(self, argv, error):
        with pytest.raises(UsageError, match="^%s$" % __import__("re").escape(error)):
            parse_global_options(control(), argv)

    def test_c_integer(self):
        assert [c_integer(t, 10) for t in ("4", " +4", "-1", "4x", "", "0x1")] == [4, 4, -1, None, None, None]
        assert [c_integer(t, 0) for t in ("0x1f", "010", "0", "09")] == [31, 8, 0, None]

    def test_valid_escape(self):
        assert [valid_escape(t) for t in ("x", "~", "^a", "^[", "^", "^1", "ab")] == \
            [True, True, True, True, False, False, False]


# --- shell loop ------------------------------------------------------------------
class TestShell:
    def run(self, lines, **kw):
        from virtsh.shell import run_shell
        feed = iter(lines)
        prompts = []

        def reader(ctl, prompt):
            prompts.append(prompt)
            return next(feed, None)
        ctl = control(**kw)
        run_shell(ctl, reader)
        return ctl, prompts

    def test_lines_run_until_quit(self):
        ctl, prompts = self.run(["echo a", "", "quit", "echo never"], quiet=True)
        assert ctl.out.getvalue() == "a\n"
        assert prompts == ["virtsh # "] * 3

    def test_banner_and_final_newline_at_eof(self):
        ctl, _ = self.run([])
        assert ctl.out.getvalue().startswith("Welcome to virtsh, the virtualization")
        assert ctl.out.getvalue().endswith("'quit' to quit\n\n\n")

    def test_cd_works_in_the_shell(self, tmp_path, monkeypatch):
        monkeypatch.chdir("/")
        self.run(["cd %s" % tmp_path], quiet=True)
        import os
        assert os.getcwd() == str(tmp_path)

    def test_readonly_prompt(self):
        _, prompts = self.run(["echo"], quiet=True, readonly=True)
        assert prompts == ["virtsh > ", "virtsh > "]

    def test_a_broken_command_module_does_not_end_the_session(self, monkeypatch):
        real = engine.find_command

        def find(name):
            if name == "broken":
                raise ImportError("cannot import virtsh.commands.broken")
            return real(name)
        monkeypatch.setattr(engine, "find_command", find)
        ctl, _ = self.run(["broken", "echo ok"], quiet=True)
        assert ctl.err.getvalue() == "error: ImportError: cannot import virtsh.commands.broken\n"
        assert ctl.out.getvalue() == "ok\n"
