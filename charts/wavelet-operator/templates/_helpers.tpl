{{/* Name of every object of the release, within the 63-character label limit. */}}
{{- define "wavelet-operator.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels the chart puts on everything it creates. */}}
{{- define "wavelet-operator.labels" -}}
app.kubernetes.io/name: wavelet-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- if .Values.commonLabels }}
{{ toYaml .Values.commonLabels }}
{{- end }}
{{- end -}}

{{/* Labels that select the operator pods; never change them after install (Deployment selectors are immutable). */}}
{{- define "wavelet-operator.selectorLabels" -}}
app.kubernetes.io/name: wavelet-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "wavelet-operator.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "wavelet-operator.fullname" .) -}}
{{- end -}}

{{- define "wavelet-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
