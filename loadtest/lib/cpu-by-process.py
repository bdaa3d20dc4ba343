#!/usr/bin/env python3
"""CPU per kind of process, once a second, from /proc: which side of a load test spends the machine's cores.

Usage: loadtest/lib/cpu-by-process.py OUT [SUMMARY_FROM SUMMARY_TO ...]
  OUT alone: appends "HH:MM:SS kind=percent ..." lines to OUT until killed (100% = one core). Each kind comes
  twice: KIND is user and system time together, KIND.sys the system (kernel) part alone, which is where the
  sockets' cost lands. machine.* are the whole machine's columns of /proc/stat (user, system, softirq, steal,
  idle): softirq is loopback's packet delivery where the kernel does not charge it to a process, and steal the
  time the hypervisor gave another guest.
  OUT with pairs of HH:MM:SS times: prints each window's mean per kind from OUT's lines, and exits.

Why a sampler of its own: top and pidstat report per process, and a load test's sides are many processes (one
PostgreSQL backend per connection, a JVM per service); what the question needs is the sum per side, per phase.
The kinds come from each process's command line; anything else is left out. PostgreSQL's backends count under
their database (postgres:orders_bench), its own processes under their names (postgres:walwriter).
"""
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def kind(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    program = cmd.split(" ", 1)[0]
    # By the program, not the whole line: a backend's line names its database, and the suite's is orders_pgbench.
    if program.endswith("/pgbench") or program == "pgbench":
        return "pgbench"
    if cmd.startswith("postgres: "):
        # "postgres: 15/main: orders orders_bench ::1(5432) idle" for a backend, "postgres: 15/main: walwriter"
        # for the server's own processes: a backend counts under its database, the rest under their own names.
        words = cmd.split()
        if len(words) >= 5 and words[2] not in ("logical", "autovacuum", "background", "parallel"):
            return "postgres:" + words[3]
        return "postgres:" + "-".join(words[2:]).strip()
    if "/bin/postgres " in cmd:
        return "postgres:postmaster"
    if "java" in cmd and "floor-runner" in cmd:
        return "floor"
    if "java" in cmd and "order-service-runner" in cmd:
        return "service"
    if "java" in cmd and "loadtest" in cmd:
        return "load-generator"
    if "java" in cmd:
        return "other-java"
    if program.endswith("/wrk") or program == "wrk":
        return "wrk"
    return None


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]), int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None


MACHINE = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def machine():
    with open("/proc/stat") as f:
        values = f.readline().split()[1:1 + len(MACHINE)]
    return dict(zip(MACHINE, map(int, values)))


def sample(out):
    previous, previous_at, previous_machine = {}, time.monotonic(), machine()
    with open(out, "a") as log:
        while True:
            time.sleep(1)
            now, now_at, now_machine = {}, time.monotonic(), machine()
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    t = ticks(pid)
                    if t is not None:
                        now[pid] = t
            per_kind = {}
            for pid, (user, system) in now.items():
                # A process first seen in this second counts from the next one.
                if pid not in previous:
                    continue
                spent_user, spent_system = user - previous[pid][0], system - previous[pid][1]
                k = kind(pid) if spent_user + spent_system > 0 else None
                if k:
                    per_kind[k] = per_kind.get(k, 0) + spent_user + spent_system
                    per_kind[k + ".sys"] = per_kind.get(k + ".sys", 0) + spent_system
            for column in ("user", "system", "softirq", "steal", "idle"):
                per_kind["machine." + column] = now_machine[column] - previous_machine[column]
            seconds = now_at - previous_at
            previous, previous_at, previous_machine = now, now_at, now_machine
            line = " ".join(f"{k}={100.0 * v / HZ / seconds:.0f}" for k, v in sorted(per_kind.items()))
            log.write(f"{time.strftime('%H:%M:%S')} {line}\n")
            log.flush()


def summarise(out, windows):
    lines = [l.split() for l in open(out) if l.strip()]
    for start, end in zip(windows[::2], windows[1::2]):
        rows = [l for l in lines if start <= l[0] <= end]
        sums = {}
        for row in rows:
            for item in row[1:]:
                k, v = item.split("=")
                sums[k] = sums.get(k, 0) + float(v)
        means = " ".join(f"{k}={v / len(rows):.0f}%" for k, v in sorted(sums.items())) if rows else "no samples"
        print(f"{start}-{end} ({len(rows)} s): {means}")


if __name__ == "__main__":
    if len(sys.argv) == 2:
        sample(sys.argv[1])
    elif len(sys.argv) >= 4 and len(sys.argv) % 2 == 0:
        summarise(sys.argv[1], sys.argv[2:])
    else:
        sys.exit(__doc__)
