import sys

from analysis.cli import main
from analysis.intake import worker

worker.fork_here()  # one command, one file: fork its intake worker from here, without a fork server
sys.exit(main())
