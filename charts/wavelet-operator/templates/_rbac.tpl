{{/*
The operator's rules on the kinds it manages in the namespaces it reconciles: bound cluster-wide by a ClusterRole
without watchNamespaces, by a Role in each watched namespace with it. Exactly the verbs the operator uses; tests
cross-check them against the operator's API calls (tests/Wavelet.Operator.Tests/EndToEnd/ChartRbacTests.cs).
*/}}
{{- define "wavelet-operator.rules" -}}
# The projects themselves: watched, finalizer added/removed by merge patch.
- apiGroups: ["wavelet.risingwave.com"]
  resources: ["waveletprojects"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["wavelet.risingwave.com"]
  resources: ["waveletprojects/status"]
  verbs: ["update"]
# Needed to set blockOwnerDeletion on children's owner references.
- apiGroups: ["wavelet.risingwave.com"]
  resources: ["waveletprojects/finalizers"]
  verbs: ["update"]
# Connection URLs and JWT keys: read one by one by the name a project gives, never listed, watched or written.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# Children, server-side applied and watched for drift (removed by owner-reference garbage collection).
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "patch"]
# Optional children: also deleted when the spec turns them off.
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "patch", "delete"]
# Kubernetes Events for DDL actions and failures (repeats are aggregated by patching the count).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
