#!/usr/bin/env bash
# Start-up and scale of the sandbox, measured from outside with kubectl (docs/sandbox.md):
#   1. wall time from launching the sandbox (web example) to its "sandbox ready" line;
#   2. a Parallel OrdinalSet of N replicas with N pre-created 1Gi PVs: wall time from
#      `kubectl create` of the set to status.readyReplicas == N (every pod Running and Ready,
#      every claim Bound), polled every 0.5 s.
# Usage: src/bench/sandbox-scale.sh real|mock [N]     (needs target/ordinal-operator.jar and kubectl)
# Env: JAVA_OPTS (default: ./sandbox's -XX:TieredStopAtLevel=1), SKIP_STARTUP=1 (scale only).
# Prints the CPU seconds of the sandbox's JVM and of each process it started (etcd,
# kube-apiserver, kube-controller-manager) before and after the set, to say where time went.
set -euo pipefail
cd "$(dirname "$0")/../.."
backend=${1:?real or mock}
n=${2:-1000}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
work=$(mktemp -d)
pid=""
stop_sandbox() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop_sandbox; rm -rf "$work"' EXIT
export KUBECONFIG=$work/kubeconfig

now() { date +%s.%N; }
# CPU seconds (user + system) so far of the sandbox's JVM and of each process it started.
cpu() {
  local p
  for p in "$pid" $(pgrep -P "$pid" || true); do
    [ -r "/proc/$p/stat" ] && awk -v hz="$(getconf CLK_TCK)" '{gsub(/[()]/, "", $2); printf "%s=%.1f ", $2, ($14 + $15) / hz}' "/proc/$p/stat"
  done
  echo
}
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }

start_sandbox() { # $1 = example; sets pid, and took = seconds to "sandbox ready"
  local t0; t0=$(now)
  # shellcheck disable=SC2086
  "$java" ${JAVA_OPTS--XX:TieredStopAtLevel=1} --sun-misc-unsafe-memory-access=allow -jar target/ordinal-operator.jar sandbox \
    --backend "$backend" --port 0 --kubeconfig "$KUBECONFIG" --example "$1" >"$work/out" 2>&1 &
  pid=$!
  until grep -q "sandbox ready" "$work/out"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/out"; exit 1; }
    sleep 0.1
  done
  took=$(since "$t0")
}

if [ -z "${SKIP_STARTUP:-}" ]; then
  start_sandbox web
  echo "startup ($backend, example web): $took s to 'sandbox ready'"
  grep "started in" "$work/out"
  stop_sandbox
fi

echo "scale ($backend): starting a sandbox without example ..."
start_sandbox none
{
  cat <<YAML
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: bench}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
YAML
  for i in $(seq 0 $((n - 1))); do
    cat <<YAML
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: bench-pv-$i}
spec:
  storageClassName: bench
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /tmp/ordinal-bench/pv-$i}
YAML
  done
} >"$work/pvs.yaml"
t=$(now)
kubectl create -f "$work/pvs.yaml" >/dev/null
echo "setup: $n PVs created in $(since "$t") s"
until [ "$(kubectl get pv -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^Available$')" -ge "$n" ]; do sleep 0.5; done
echo "setup: $n PVs Available after $(since "$t") s"
cat >"$work/set.yaml" <<YAML
apiVersion: ordinal.dev/v1alpha1
kind: OrdinalSet
metadata: {name: bench}
spec:
  replicas: $n
  podManagementPolicy: Parallel
  serviceName: bench
  selector: {matchLabels: {app: bench}}
  template:
    metadata: {labels: {app: bench}}
    spec:
      containers: [{name: c, image: nginx:1.27, volumeMounts: [{name: data, mountPath: /data}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: bench
      resources: {requests: {storage: 1Gi}}
YAML
echo "load average before the set: $(cut -d' ' -f1-3 /proc/loadavg); CPU s so far: $(cpu)"
t0=$(now)
kubectl create -f "$work/set.yaml" >/dev/null
last=""
while true; do
  ready=$(kubectl get ords bench -o jsonpath='{.status.readyReplicas}' 2>/dev/null || true)
  if [ "${ready:-0}" != "$last" ]; then echo "  $(since "$t0") s: readyReplicas=${ready:-0}"; last=${ready:-0}; fi
  [ "${ready:-0}" -ge "$n" ] && break
  sleep 0.5
done
echo "scale ($backend): Parallel set of $n with $n PVs all Ready in $(since "$t0") s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); CPU s so far: $(cpu)"
bound=$(kubectl get pvc -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^Bound$')
echo "claims Bound: $bound"
