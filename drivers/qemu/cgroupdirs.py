"""Removing a stopped guest's control groups with nothing but rmdir.

A leaf module: destroy and the supervisor settle a guest through it
without loading the cgroup machinery of cgroups.py (and of the LXC driver
beneath it), which a start needs and a stop does not.
"""
import errno
import os
import time

BUSY_RETRIES = 100      # x 10 ms: a group whose last task is still exiting


def remove(data):
    """Remove the groups recorded in a status (cgroups.Group.to_json)."""
    if data.get("v2"):
        points = [data["v2"]]
    else:
        points = sorted(set((data.get("v1") or {}).values()))
    for point in points:
        remove_tree(os.path.join(point, data["relpath"]))


def remove_tree(path):
    """Remove the group directory *path* and its sub-groups, deepest first."""
    try:
        subs = [e.path for e in os.scandir(path) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for sub in subs:
        remove_tree(sub)
    for _ in range(BUSY_RETRIES):
        try:
            os.rmdir(path)
            return
        except OSError as e:
            if e.errno != errno.EBUSY:
                return
            time.sleep(0.01)
