#!/usr/bin/env bash
# End-to-end scenario against a real cluster (kind in CI): install the chart, run the example
# set with static hostPath volumes, scale, roll out with a partition, recreate a pod, uninstall.
#
# Needs: kubectl and helm on the PATH, a current kube-context, and the operator image
# $IMAGE_REPOSITORY:$IMAGE_TAG already loaded into the cluster (kind load docker-image).
# Uses examples/pvs.yaml (static PVs of class "manual") and examples/web.yaml (headless Service
# nginx and OrdinalSet web: 2 replicas, claim template www 1Gi RWO, class manual).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${IMAGE_REPOSITORY:?set IMAGE_REPOSITORY}"
: "${IMAGE_TAG:?set IMAGE_TAG}"
NEW_IMAGE="${NEW_IMAGE:-nginx:1.27-alpine}"
TIMEOUT="${TIMEOUT:-180s}"
NS=ordinal-system

step() { echo; echo "=== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# kubectl wait fails at once on an object that does not exist yet: wait for it to appear first.
await_exists() {
  for _ in $(seq 90); do
    kubectl get "$1" >/dev/null 2>&1 && return 0
    sleep 2
  done
  fail "$1 did not appear"
}
await_bound() {
  await_exists "pvc/$1"
  kubectl wait --for=jsonpath='{.status.phase}'=Bound "pvc/$1" --timeout="$TIMEOUT"
}
await_ready() {
  await_exists "pod/$1"
  kubectl wait --for=condition=Ready "pod/$1" --timeout="$TIMEOUT"
}
jp() { kubectl get "$1" -o jsonpath="$2"; }

step "Install the chart"
helm install ordinal-operator deploy/helm/ordinal-operator -n "$NS" --create-namespace \
  --set image.repository="$IMAGE_REPOSITORY" \
  --set image.tag="$IMAGE_TAG" \
  --set image.pullPolicy=Never \
  --wait --timeout 5m
kubectl -n "$NS" get deployment,pods,lease

step "Static PVs and the web example"
kubectl apply -f examples/pvs.yaml
kubectl apply -f examples/web.yaml
for i in 0 1; do await_bound "www-web-$i"; done
for i in 0 1; do await_ready "web-$i"; done
kubectl get ordinalset web -o wide

step "Scale to 3 with a third PV"
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: PersistentVolume
metadata:
  name: e2e-pv-2
  labels:
    ordinal.dev/e2e: "true"
spec:
  storageClassName: manual
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath:
    path: /tmp/ordinal-e2e/pv-2
    type: DirectoryOrCreate
YAML
kubectl scale ordinalset web --replicas=3
await_bound www-web-2
await_ready web-2

step "Roll out a new image to ordinals >= 2 only"
OLD_IMAGE=$(jp ordinalset/web '{.spec.template.spec.containers[0].image}')
[ "$OLD_IMAGE" != "$NEW_IMAGE" ] || fail "NEW_IMAGE equals the example's image $OLD_IMAGE"
kubectl patch ordinalset web --type merge \
  -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'
kubectl patch ordinalset web --type json \
  -p "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"$NEW_IMAGE\"}]"
# web-2 is deleted and recreated: poll rather than kubectl wait on an object that may vanish.
for _ in $(seq 90); do
  [ "$(jp pod/web-2 '{.spec.containers[0].image}' 2>/dev/null || true)" = "$NEW_IMAGE" ] && break
  sleep 2
done
[ "$(jp pod/web-2 '{.spec.containers[0].image}')" = "$NEW_IMAGE" ] || fail "web-2 did not get $NEW_IMAGE"
await_ready web-2
for i in 0 1; do
  image=$(jp "pod/web-$i" '{.spec.containers[0].image}')
  [ "$image" = "$OLD_IMAGE" ] || fail "web-$i has image $image, expected $OLD_IMAGE (partition 2)"
done

step "A deleted pod comes back with its own claim and volume"
PV_BEFORE=$(jp pvc/www-web-0 '{.spec.volumeName}')
UID_BEFORE=$(jp pod/web-0 '{.metadata.uid}')
kubectl delete pod web-0 --wait=true
for _ in $(seq 90); do
  uid=$(jp pod/web-0 '{.metadata.uid}' 2>/dev/null || true)
  [ -n "$uid" ] && [ "$uid" != "$UID_BEFORE" ] && break
  sleep 2
done
await_ready web-0
[ "$(jp pod/web-0 '{.metadata.uid}')" != "$UID_BEFORE" ] || fail "web-0 was not recreated"
claim=$(jp pod/web-0 '{.spec.volumes[?(@.name=="www")].persistentVolumeClaim.claimName}')
[ "$claim" = www-web-0 ] || fail "web-0 mounts claim '$claim', expected www-web-0"
[ "$(jp pvc/www-web-0 '{.status.phase}')" = Bound ] || fail "www-web-0 is not Bound"
[ "$(jp pvc/www-web-0 '{.spec.volumeName}')" = "$PV_BEFORE" ] || fail "www-web-0 moved off $PV_BEFORE"

step "Uninstall: claims and volumes stay"
helm uninstall ordinal-operator -n "$NS" --wait --timeout 2m
for i in 0 1 2; do
  kubectl get "pvc/www-web-$i" >/dev/null || fail "claim www-web-$i is gone after uninstall"
  pv=$(jp "pvc/www-web-$i" '{.spec.volumeName}')
  kubectl get "pv/$pv" >/dev/null || fail "volume $pv of www-web-$i is gone after uninstall"
done
kubectl get pvc,pv
echo; echo "e2e: OK"
