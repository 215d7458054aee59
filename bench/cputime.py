#!/usr/bin/env python3
"""CPU accounting for bench/records.sh: who spent the two cores during a measurement.

  cputime.py snap DBNAME [PID]        prints JSON: CPU seconds so far of process PID (the
                                      service), of the PostgreSQL backends connected to
                                      DBNAME, and of the whole machine (busy, all CPUs)
  cputime.py run OUT CMD [ARGS...]    runs CMD with its stdout in OUT and prints the CPU
                                      seconds it (the load generator) used
"""
import json
import os
import resource
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def snap(db, pid=None):
    backends = 0.0
    marker = f" {db} "
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            cmd = open(f"/proc/{p}/cmdline").read().replace("\0", " ")
            if cmd.startswith("postgres:") and marker in cmd + " ":
                backends += process_seconds(p)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    cpu = open("/proc/stat").readline().split()[1:]
    # user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    busy = sum(int(x) for i, x in enumerate(cpu[:8]) if i not in (3, 4)) / TICK
    out = {"postgres": round(backends, 2), "machine_busy": round(busy, 2)}
    if pid:
        out["service"] = round(process_seconds(pid), 2)
    print(json.dumps(out))


def run(out, cmd):
    with open(out, "w") as f:
        subprocess.run(cmd, stdout=f, check=True)
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(round(r.ru_utime + r.ru_stime, 2))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    elif sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
