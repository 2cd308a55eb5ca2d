{{/*
Chart name, truncated to a DNS label.
*/}}
{{- define "ordinal-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: fullnameOverride, else the release name if it contains the chart name,
else <release>-<chart>.
*/}}
{{- define "ordinal-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ordinal-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ordinal-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ordinal-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ordinal-operator.labels" -}}
helm.sh/chart: {{ include "ordinal-operator.chart" . }}
{{ include "ordinal-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: ordinal-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ordinal-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ordinal-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ordinal-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Fails rendering on inconsistent values, with a message that says what to change.
*/}}
{{- define "ordinal-operator.validate" -}}
{{- if not (has .Values.rbac.scope (list "cluster" "namespaced")) }}
{{- fail (printf "rbac.scope must be \"cluster\" or \"namespaced\", got %q" .Values.rbac.scope) }}
{{- end }}
{{- if and (eq .Values.rbac.scope "namespaced") (empty .Values.watchNamespaces) }}
{{- fail "rbac.scope=namespaced needs watchNamespaces: list the namespaces to watch, or use rbac.scope=cluster" }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs leaderElection.enabled=true: two active operators would fight over the same pods and claims" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.service.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.service.enabled=true: the ServiceMonitor selects the metrics Service" }}
{{- end }}
{{- if not (has .Values.logFormat (list "text" "json")) }}
{{- fail (printf "logFormat must be \"text\" or \"json\", got %q" .Values.logFormat) }}
{{- end }}
{{- end }}

{{/*
RBAC rules. They must stay equal to src/test/resources/rbac/required-permissions.yaml
(ChartRbacTest checks it). Namespaced resources go into the ClusterRole (rbac.scope=cluster)
or into one Role per watched namespace (rbac.scope=namespaced); cluster-scoped resources
always need the ClusterRole.
*/}}
{{- define "ordinal-operator.rules.namespaced" -}}
- apiGroups: ["ordinal.dev"]
  resources: ["ordinalsets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["ordinal.dev"]
  resources: ["ordinalsets/status"]
  verbs: ["patch"]
- apiGroups: ["ordinal.dev"]
  resources: ["ordinalsets/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "create", "delete"]
# No "delete": claims are removed only by garbage collection through ownerReferences.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "watch", "create", "update", "patch"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims/status"]
  verbs: ["update"]
# "get": fabric8 reads a revision before a merge patch (renumbering on rollback).
- apiGroups: ["apps"]
  resources: ["controllerrevisions"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- if .Values.statefulSetStorage.enabled }}
# Storage mode: labelled StatefulSets are read, never written.
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["list", "watch"]
# Where OwnerReferencesPermissionEnforcement runs (OpenShift), a claim created with the set as
# owner and blockOwnerDeletion, as the StatefulSet controller makes it, needs this. No request uses it.
- apiGroups: ["apps"]
  resources: ["statefulsets/finalizers"]
  verbs: ["update"]
{{- end }}
{{- end }}

{{- define "ordinal-operator.rules.clusterScoped" -}}
# Never "create" or "delete": the operator only binds and releases existing volumes.
# "get": after a conflict, a fresh read tells whether the cluster's PV binder already did the step.
- apiGroups: [""]
  resources: ["persistentvolumes"]
  verbs: ["get", "list", "watch", "update"]
- apiGroups: [""]
  resources: ["persistentvolumes/status"]
  verbs: ["update"]
- apiGroups: ["storage.k8s.io"]
  resources: ["storageclasses"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["list", "watch"]
{{- end }}

{{- define "ordinal-operator.rules.leaderElection" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update", "patch"]
{{- end }}
