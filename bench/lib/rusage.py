# Runs a command (stdio inherited) and writes one JSON object to the file given first:
# wall time, CPU time and peak RSS from wait4(): ru_maxrss is the largest resident set of
# the process and of the descendants it waited for (the process tree's peak, not a sum).
import json
import os
import subprocess
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
child = subprocess.Popen(cmd)
_, status, ru = os.wait4(child.pid, 0)
ms = (time.perf_counter() - t0) * 1000
with open(out, 'w') as f:
    json.dump({'ms': ms, 'cpuMs': (ru.ru_utime + ru.ru_stime) * 1000, 'treeRssKiB': ru.ru_maxrss, 'exit': os.waitstatus_to_exitcode(status)}, f)
