"""The *-edit commands: the editor loop, its retry prompt on a terminal,
and ``edit --xpath``."""
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

TEST = "test:///default"
MEMORY = "/domain/memory"


def virtsh(*args, env=None, stdin=subprocess.DEVNULL):
    full = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "virtsh"] + list(args),
                          env=full, stdin=stdin, capture_output=True, text=True,
                          timeout=60)


def editor(tmp_path, body, name="editor.sh"):
    """An editor: a shell script run with the file to edit as $1."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return str(path)


def memory_of(output):
    return output.split("<memory unit='KiB'>")[1].split("<")[0]


def test_untouched_file_is_not_changed():
    r = virtsh("-c", TEST, "edit", "test", env={"EDITOR": "true"})
    assert r.returncode == 0
    assert r.stdout == "Domain 'test' XML configuration not changed.\n\n"


def test_a_change_redefines_the_domain(tmp_path):
    ed = editor(tmp_path, "sed -i 's/8388608/4000000/' \"$1\"")
    r = virtsh("-c", TEST, "edit test; dumpxml --inactive test",
               env={"EDITOR": ed})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Domain 'test' XML configuration edited.\n\n")
    assert memory_of(r.stdout) == "4000000"


def test_quiet_drops_the_message(tmp_path):
    ed = editor(tmp_path, "sed -i 's/8388608/4000000/' \"$1\"")
    r = virtsh("-q", "-c", TEST, "edit", "test", env={"EDITOR": ed})
    assert (r.returncode, r.stdout) == (0, "")


def test_visual_wins_over_editor(tmp_path):
    ed = editor(tmp_path, "sed -i 's/8388608/4000000/' \"$1\"")
    r = virtsh("-c", TEST, "edit", "test", env={"VISUAL": ed, "EDITOR": "false"})
    assert r.returncode == 0, r.stderr
    assert "edited" in r.stdout


def test_editor_command_with_arguments_runs_through_sh():
    r = virtsh("-c", TEST, "edit test; dumpxml --inactive test",
               env={"EDITOR": "sed -i s/8388608/2000000/"})
    assert r.returncode == 0, r.stderr
    assert memory_of(r.stdout) == "2000000"


def test_failing_editor_is_an_error():
    r = virtsh("-c", TEST, "edit", "test", env={"EDITOR": "false"})
    assert r.returncode == 1
    assert r.stderr.startswith("error: internal error: Child process (false /")
    assert r.stderr.rstrip().endswith("unexpected exit status 1")


def test_broken_xml_without_terminal_fails_and_keeps_the_definition(tmp_path):
    ed = editor(tmp_path, "sed -i 's|</domain>||' \"$1\"")
    r = virtsh("-c", TEST, "edit test; dumpxml --inactive test",
               env={"EDITOR": ed})
    assert r.stderr.count("error: ") >= 2
    assert "error: Domain 'test' XML configuration not changed." in r.stderr
    assert memory_of(r.stdout) == "8388608"


def test_the_temporary_file_is_removed(tmp_path):
    ed = editor(tmp_path, "echo \"$1\" > %s/seen" % tmp_path)
    virtsh("-c", TEST, "edit", "test", env={"EDITOR": ed})
    seen = (tmp_path / "seen").read_text().strip()
    assert seen.endswith(".xml") and not os.path.exists(seen)


def test_network_edit_not_changed():
    r = virtsh("-c", TEST, "net-edit", "default", env={"EDITOR": "true"})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Network default XML configuration not changed.\n\n"


def test_pool_edit_not_changed():
    r = virtsh("-c", TEST, "pool-edit", "default-pool", env={"EDITOR": "true"})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Pool default-pool XML configuration not changed.\n\n"


def test_edit_on_readonly_connection_fails_and_changes_nothing(tmp_path):
    ed = editor(tmp_path, "sed -i 's/8388608/4000000/' \"$1\"")
    r = virtsh("-r", "-c", TEST, "edit test; dumpxml --inactive test",
               env={"EDITOR": ed})
    assert "read only access prevents virDomainDefineXML" in r.stderr
    assert memory_of(r.stdout) == "8388608"


# --- edit --xpath: no editor -------------------------------------------------------

def test_xpath_set_element_text():
    r = virtsh("-c", TEST, "edit test --xpath %s --set 1048576; "
               "dumpxml --inactive test" % MEMORY, env={"EDITOR": "false"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Domain 'test' XML configuration edited.\n\n")
    assert memory_of(r.stdout) == "1048576"


def test_xpath_set_attribute():
    r = virtsh("-c", TEST, "edit test --xpath /domain/on_crash --set destroy; "
               "edit test --xpath /domain/vcpu/@placement --set static; "
               "dumpxml --inactive test")
    assert r.returncode == 0, r.stderr
    assert "<on_crash>destroy</on_crash>" in r.stdout


def test_xpath_delete():
    r = virtsh("-c", TEST, "edit test --xpath /domain/on_crash --delete; "
               "dumpxml --inactive test")
    assert r.returncode == 0, r.stderr
    assert "edited" in r.stdout


def test_xpath_same_value_is_not_changed():
    r = virtsh("-c", TEST, "edit", "test", "--xpath", MEMORY, "--set", "8388608")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Domain 'test' XML configuration not changed.\n\n"


def test_xpath_matching_nothing_is_an_error():
    r = virtsh("-c", TEST, "edit", "test", "--xpath", "/domain/nothing", "--delete")
    assert r.returncode == 1
    assert r.stderr == "error: XPath '/domain/nothing' selects nothing to edit\n"


def test_xpath_needs_set_or_delete():
    r = virtsh("-c", TEST, "edit", "test", "--xpath", MEMORY)
    assert r.returncode == 1
    assert r.stderr == "error: --xpath needs exactly one of --set and --delete\n"
    r = virtsh("-c", TEST, "edit", "test", "--set", "1")
    assert r.stderr == "error: --set needs --xpath\n"


def test_xpath_invalid_value_keeps_the_definition():
    r = virtsh("-c", TEST, "edit test --xpath %s --set lots; "
               "dumpxml --inactive test" % MEMORY)
    assert "error: Domain 'test' XML configuration not changed." in r.stderr
    assert memory_of(r.stdout) == "8388608"


# --- the retry prompt on a terminal ----------------------------------------------

@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("answer, edited", [("y", True), ("n", False)])
def test_retry_prompt_on_a_terminal(tmp_path, answer, edited):
    """First edit breaks the XML: virtsh asks; 'y' opens the editor again
    (which now makes a good change), 'n' gives up with the old definition."""
    mark = tmp_path / "mark"
    ed = editor(tmp_path,
                'if [ ! -e %(m)s ]; then touch %(m)s; sed -i "s|</domain>||" "$1"; '
                'else sed -i "s|<memory unit=.KiB.>[0-9]*<|<memory unit=\'KiB\'>4000000<|; '
                '\\$a</domain>" "$1"; fi' % {"m": mark})
    command = ("EDITOR=%s %s -m virtsh -c test:///default "
               "'edit test; dumpxml --inactive --xpath //memory test'; "
               "echo \"[exit $?]\"; sleep 30" % (ed, sys.executable))
    sock = "virtsh-edit-%s" % uuid.uuid4().hex[:8]
    tmux = ["tmux", "-L", sock]
    try:
        subprocess.run(tmux + ["new-session", "-d", "-x", "120", "-y", "40",
                               "-s", "t", command], check=True)

        def wait_for(text):
            deadline = time.monotonic() + 15
            while True:
                screen = subprocess.run(tmux + ["capture-pane", "-p", "-t", "t"],
                                        capture_output=True, text=True).stdout
                if text in screen:
                    return screen
                assert time.monotonic() < deadline, screen
                time.sleep(0.05)

        wait_for("Failed. Try again? [y,n,i,f,?]:")
        subprocess.run(tmux + ["send-keys", "-t", "t", "?"], check=True)
        wait_for("y - yes, open the editor again")
        subprocess.run(tmux + ["send-keys", "-t", "t", answer], check=True)
        screen = wait_for("[exit ")
        if edited:
            assert "Domain 'test' XML configuration edited." in screen
            assert ">4000000</memory>" in screen
        else:
            assert "error: Domain 'test' XML configuration not changed." in screen
            assert ">8388608</memory>" in screen
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)


def test_save_image_edit(tmp_path):
    image = tmp_path / "test.sav"
    ed = editor(tmp_path, "sed -i 's/8388608/4000000/' \"$1\"")
    r = virtsh("-c", TEST, "save test %s; save-image-edit %s --running; "
               "save-image-dumpxml %s" % (image, image, image), env={"EDITOR": ed})
    assert r.returncode == 0, r.stderr
    assert "State file %s edited.\n" % image in r.stdout
    assert memory_of(r.stdout) == "4000000"


def test_save_image_edit_running_and_paused_exclude_each_other(tmp_path):
    r = virtsh("-c", TEST, "save-image-edit", str(tmp_path / "x"), "--running",
               "--paused", env={"EDITOR": "true"})
    assert r.returncode == 1
    assert r.stderr == "error: Options --running and --paused are mutually exclusive\n"


def test_snapshot_edit_current_redefines_even_when_untouched():
    r = virtsh("-c", TEST, "snapshot-create-as test s1; snapshot-create-as test s2; "
               "snapshot-edit test s1 --current; snapshot-current test --name; "
               "snapshot-edit test s1", env={"EDITOR": "true"})
    assert r.returncode == 0, r.stderr
    assert "Snapshot s1 edited.\n" in r.stdout
    assert "\ns1\n" in r.stdout            # --current made it current
    assert r.stdout.endswith("Snapshot s1 XML configuration not changed.\n\n")
