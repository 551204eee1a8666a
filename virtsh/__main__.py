import sys

from virtsh.main import main

sys.exit(main())
