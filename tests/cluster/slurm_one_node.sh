#!/bin/bash
# A real one-node Slurm cluster for `hwplan sweep --mpi`: munged, slurmctld and slurmd on
# this machine (Debian's slurm-wlm and munge), configured in a private folder under /tmp
# (slurm.conf, munge key and socket, state and logs; slurmctld on port 16000-17999 and
# slurmd on the next one, so 16001-18000), a bundled-style sweep submitted with sbatch (srun
# --mpi=pmix, 3 ranks), and its rows compared with a local run of the same sweep. Every
# daemon this script starts is stopped at the end, by its pid file. This script writes
# nothing under /etc; apt-get does, when it has to install the packages.
#
# Usage: tests/cluster/slurm_one_node.sh [build/release/bin/hwplan]
# Needs root (slurmd runs jobs as any user), slurm-wlm and munge (installed when missing,
# with apt-get update first), and hwplan built with MPI (hwplan-mpi next to hwplan). Exit 0
# when the rows agree.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
# -m: a path that does not exist is resolved too, and the check below says so (plain realpath
# failed first, under set -e: exit 1 with its own message).
hwplan=$(realpath -m "${1:-$src/build/release/bin/hwplan}")
[ -x "$hwplan" ] || { echo "slurm test: $hwplan not found (build it first)"; exit 2; }
[ -x "$(dirname "$hwplan")/hwplan-mpi" ] || { echo "slurm test: hwplan-mpi not built (MPI missing?)"; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "slurm test: run as root"; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "slurm test: installing slurm-wlm and munge"
  # A fresh machine's package lists may be empty or stale: without this the install fails.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

dir=$(mktemp -d /tmp/hwplan-slurm.XXXXXX)
chmod 755 "$dir"
node=$(hostname -s)
port=$((16000 + $$ % 2000))  # slurmctld: 16000-17999; slurmd: port + 1, so 16001-18000
conf=$dir/slurm.conf
export SLURM_CONF=$conf

stop() {
  for p in slurmd slurmctld munged; do
    if [ -f "$dir/$p.pid" ]; then kill "$(cat "$dir/$p.pid")" 2>/dev/null || true; fi
  done
  sleep 1
  for p in slurmd slurmctld munged; do
    if [ -f "$dir/$p.pid" ]; then kill -9 "$(cat "$dir/$p.pid")" 2>/dev/null || true; fi
  done
}
fail() {
  echo "slurm test: FAILED: $*"
  for log in munged slurmctld slurmd; do [ -f "$dir/$log.log" ] && { echo "--- $log.log"; tail -20 "$dir/$log.log"; }; done
  [ -f "$dir/job.log" ] && { echo "--- job.log"; tail -40 "$dir/job.log"; }
  stop
  exit 1
}
trap 'stop' EXIT

# munge: a private key and socket.
mkdir -p "$dir/munge"
chmod 700 "$dir/munge"
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge.socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge/seed" || fail "munged did not start"

mkdir -p "$dir/state" "$dir/spool"
cat > "$conf" <<EOF
ClusterName=hwplantest
SlurmctldHost=$node
SlurmUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$node CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)' && break
  sleep 1
done
sinfo -h -o %T | grep -Eq '^(idle|mixed|allocated)' || fail "the node did not come up: $(sinfo 2>&1)"
echo "slurm test: one-node cluster up ($node, ports $port-$((port + 1)), $(nproc) CPUs)"

# The sweep: the factory scenario, run for 10 s per variant, 2 latencies x 4 camera counts.
cat > "$dir/sweep.yaml" <<EOF
name: slurm test sweep
scenario: $src/scenarios/factory-vision.yaml
run: run
set: {duration: 10 s}
axes:
  sites.plant.backhaul.latency: [5 ms, 15 ms]
  streams.inspection.sources: [2, 3, 4, 6]
EOF
"$hwplan" sweep "$dir/sweep.yaml" --out "$dir/local.csv" --jobs 2 --no-cache >/dev/null 2>&1 || fail "the local sweep failed"

cat > "$dir/job.sh" <<EOF
#!/bin/sh
#SBATCH --job-name=hwplan-sweep
#SBATCH --ntasks=3
#SBATCH --overcommit
#SBATCH --output=$dir/job.log
srun --mpi=pmix --overcommit "$hwplan" sweep "$dir/sweep.yaml" --mpi --out "$dir/slurm.csv" --jobs 1 --no-cache
EOF
job=$(sbatch --parsable "$dir/job.sh") || fail "sbatch refused the job"
echo "slurm test: submitted job $job"
for i in $(seq 300); do
  state=$(scontrol show job "$job" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  case "$state" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
  if [ "$state" = PENDING ] && [ "$i" -gt 30 ]; then
    scancel "$job"
    fail "job $job still pending after 30 s: $(scontrol show job "$job" | grep -o 'Reason=[^ ]*')"
  fi
  sleep 1
done
[ "$state" = COMPLETED ] || fail "job $job ended $state"
cmp "$dir/local.csv" "$dir/slurm.csv" || fail "the rows of the Slurm run differ from the local run's"
echo "slurm test: job $job COMPLETED; $(($(wc -l < "$dir/slurm.csv") - 1)) rows, identical to the local run"
grep -E "^sweep|^MPI" "$dir/job.log" || true
stop
trap - EXIT
rm -rf "$dir"
echo "slurm test: passed"
