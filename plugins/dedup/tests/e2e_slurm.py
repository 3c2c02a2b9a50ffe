"""The Slurm recipe (examples/cluster/slurm, issue 18) against a real
one-node Slurm cluster started here: a private munge key and socket, a
slurm.conf written under the build folder (this node from `hostname -s`,
SlurmUser=root, proctrack/linuxproc, task/none, select/cons_tres, no
accounting, a free port pair, its own state folders), slurmctld and
slurmd run in the foreground (-D) and waited on. submit.sh runs pass 1
as a job array, the merge after it (afterok), pass 2 as a second array;
the shards' output in shard order must be the output of one run. A step
that fails cancels the steps that depend on it. The cluster is stopped
at the end. Where it cannot start (not root, packages missing, a daemon
that will not come up) the test says why and skips."""
import gzip
import os
import shutil
import socket
import subprocess
import sys
import time
from galleytest import ok, eq, done, skip, run, GALLEY, TOP_SRCDIR

NEEDED = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel")
missing = [c for c in NEEDED if not shutil.which(c) and not os.path.exists("/usr/sbin/" + c)]
if missing:
    skip("the Slurm flow", "not installed: %s (Debian's slurmctld slurmd slurm-client munge)"
         % " ".join(missing))
    done()
if os.geteuid() != 0:
    skip("the Slurm flow", "the test cluster runs its daemons as root (SlurmUser=root)")
    done()


def which(cmd):
    return shutil.which(cmd) or "/usr/sbin/" + cmd


def free_ports(n):
    """n ports free on this machine now (bound to 0, then released)."""
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


base = os.path.join(os.getcwd(), "slurm-test-%d" % os.getpid())
# A unix socket path has at most 107 bytes: a deep build folder gets the
# munge socket in /tmp instead.
munge_dir = os.path.join(base, "munge")
if len(munge_dir) > 80:
    munge_dir = "/tmp/galley-munge-%d" % os.getpid()
for sub in ("state", "spool", "work", "in"):
    os.makedirs(os.path.join(base, sub))
os.makedirs(munge_dir, mode=0o700)
key = os.path.join(munge_dir, "munge.key")
with open(key, "wb") as f:
    f.write(os.urandom(1024))
os.chmod(key, 0o400)
sock = os.path.join(munge_dir, "socket")
node = subprocess.run(["hostname", "-s"], capture_output=True, text=True).stdout.strip() or "localhost"
ctld_port, d_port = free_ports(2)
conf = os.path.join(base, "slurm.conf")
with open(conf, "w") as f:
    f.write("""ClusterName=galleytest
SlurmctldHost={node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={sock}
StateSaveLocation={base}/state
SlurmdSpoolDir={base}/spool
SlurmctldPidFile={base}/slurmctld.pid
SlurmdPidFile={base}/slurmd.pid
SlurmctldLogFile={base}/slurmctld.log
SlurmdLogFile={base}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
NodeName={node} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=galley Nodes={node} Default=YES MaxTime=INFINITE State=UP
""".format(node=node, ctld_port=ctld_port, d_port=d_port, sock=sock, base=base, cpus=os.cpu_count() or 1))
env = dict(os.environ, SLURM_CONF=conf)
daemons = []


def tail(path, n=15):
    try:
        return "".join(open(path, errors="replace").readlines()[-n:])
    except OSError:
        return "(no %s)" % os.path.basename(path)


def stop():
    """Stops the daemons (the last started first) and waits for them."""
    for p in reversed(daemons):
        if p.poll() is None:
            p.terminate()
    for p in reversed(daemons):
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def squeue():
    p = subprocess.run(["squeue", "-h", "-o", "%i %T %r"], env=env, capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


t_start = time.time()
try:
    daemons.append(subprocess.Popen([which("munged"), "-F", "-f", "--key-file=" + key, "--socket=" + sock,
                                     "--pid-file=" + os.path.join(munge_dir, "pid"),
                                     "--log-file=" + os.path.join(munge_dir, "log"),
                                     "--seed-file=" + os.path.join(munge_dir, "seed")],
                                    stdout=subprocess.DEVNULL, stderr=open(os.path.join(base, "munged.out"), "w")))
    for _ in range(50):
        if os.path.exists(sock):
            break
        time.sleep(0.1)
    daemons.append(subprocess.Popen([which("slurmctld"), "-D", "-i", "-f", conf], env=env,
                                    stdout=subprocess.DEVNULL, stderr=open(os.path.join(base, "ctld.out"), "w")))
    daemons.append(subprocess.Popen([which("slurmd"), "-D", "-N", node, "-f", conf], env=env,
                                    stdout=subprocess.DEVNULL, stderr=open(os.path.join(base, "d.out"), "w")))
    state = ""
    deadline = time.time() + 30
    while time.time() < deadline and not any(p.poll() is not None for p in daemons):
        state = subprocess.run(["sinfo", "-h", "-o", "%T"], env=env, capture_output=True,
                               text=True).stdout.strip()
        if state == "idle":
            break
        time.sleep(0.2)
    if state != "idle":
        dead = [os.path.basename(p.args[0]) for p in daemons if p.poll() is not None]
        stop()
        skip("the Slurm flow", "the one-node cluster did not come up (node state %r%s); slurmctld.log: %s "
             "slurmd.log: %s" % (state, ", exited: " + " ".join(dead) if dead else "",
                                 tail(os.path.join(base, "slurmctld.log"), 3).replace("\n", " | "),
                                 tail(os.path.join(base, "slurmd.log"), 3).replace("\n", " | ")))
        done()
    ok(True, "a one-node Slurm cluster is up in %.1f s" % (time.time() - t_start))

    corpus = os.path.join(base, "all.jsonl.gz")
    subprocess.run([sys.executable, os.path.join(TOP_SRCDIR, "bench", "gen-corpus.py"), "--docs", "900",
                    "--seed", "31", "--dup-share", "0.1", "--near-share", "0.2", "--out", corpus], check=True)
    lines = gzip.open(corpus, "rt", encoding="utf-8").read().splitlines(True)
    inputs = os.path.join(base, "in")
    for i in range(6):
        with open(os.path.join(inputs, "part-%d.jsonl" % i), "w", encoding="utf-8") as f:
            f.writelines(lines[i * 150:(i + 1) * 150])
    pass2 = os.path.join(TOP_SRCDIR, "examples", "cluster", "pass2.cfg")
    status, single, err = run(["run", pass2, inputs, "-q", "--set", "dedup.pass=single"])
    eq(status, 0, "one run of pass2.cfg with pass = \"single\"")

    submit = os.path.join(TOP_SRCDIR, "examples", "cluster", "slurm", "submit.sh")

    def flow(work, n, inputs_list):
        """Submits the flow and waits until the queue is empty; returns
        (submit's result, seconds, what the queue last showed)."""
        t0 = time.time()
        p = subprocess.run(["bash", submit, str(n)] + inputs_list, capture_output=True, text=True,
                           env=dict(env, GALLEY=GALLEY, GALLEY_WORK=work), timeout=60)
        last = None
        deadline = time.time() + 300
        while p.returncode == 0 and time.time() < deadline:
            last = squeue()
            if last == "":
                break
            time.sleep(0.2)
        return p, time.time() - t0, last

    work = os.path.join(base, "work", "ok")
    p, secs, last = flow(work, 3, [inputs])
    eq(p.returncode, 0, "submit.sh submits the three steps")
    ok(len(p.stdout.split()) == 3, "and prints their job ids (%s)" % p.stdout.strip(), p.stderr)
    eq(last, "", "every job has left the queue (%.1f s)" % secs)
    parts = [os.path.join(work, "out", "out.shard-%05d-of-00003.jsonl" % i) for i in range(3)]
    got = "".join(open(x, encoding="utf-8").read() for x in parts if os.path.exists(x))
    logs = os.path.join(work, "logs")
    detail = "\n".join("%s: %s" % (x, tail(os.path.join(logs, x), 3)) for x in sorted(os.listdir(logs))) \
        if os.path.isdir(logs) else "(no logs)"
    ok(got == single, "the Slurm flow's output, in shard order, is the single run's", detail)
    merge_logs = [x for x in os.listdir(logs) if x.startswith("galley-merge")] if os.path.isdir(logs) else []
    ok(merge_logs and "3 shard indexes, 900 documents" in open(os.path.join(logs, merge_logs[0])).read(),
       "the merge ran after pass 1 and saw every document", detail)

    # A pass 1 that fails: the merge and pass 2 are cancelled, not left pending.
    bad = os.path.join(base, "work", "bad")
    p, secs, last = flow(bad, 2, [inputs, os.path.join(base, "no-such-input.jsonl")])
    eq(last, "", "after a failed pass 1 the queue empties (the dependent steps are cancelled)")
    out_bad = os.path.join(bad, "out")
    ok(not os.path.exists(os.path.join(bad, "global.idx")) and
       (not os.path.isdir(out_bad) or not os.listdir(out_bad)), "and no merge or pass 2 ran")
    leftover = squeue()
    if leftover:
        subprocess.run(["scancel", "--user=root"], env=env)
finally:
    stop()
ok(all(p.poll() is not None for p in daemons), "the cluster is stopped (%.1f s in all)" % (time.time() - t_start))
shutil.rmtree(base, ignore_errors=True)
if munge_dir.startswith("/tmp/galley-munge-"):
    shutil.rmtree(munge_dir, ignore_errors=True)
done()
