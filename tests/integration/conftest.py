"""The integration tests import their helpers from qemu_env beside them."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from qemu_env import host  # noqa: E402,F401  (the fixture)
from lxc_env import lxc  # noqa: E402,F401  (the LXC fixture)
from netns_env import ns  # noqa: E402,F401  (the network namespace fixture)
