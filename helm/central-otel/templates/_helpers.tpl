{{/*
Names and labels.
*/}}
{{- define "central-otel.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "central-otel.fullname" -}}
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

{{- define "central-otel.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "central-otel.selectorLabels" -}}
app.kubernetes.io/name: {{ include "central-otel.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "central-otel.labels" -}}
helm.sh/chart: {{ include "central-otel.chart" . }}
{{ include "central-otel.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "central-otel.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "central-otel.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "central-otel.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "central-otel.sharded" -}}
{{- if gt (int .Values.shards) 1 }}true{{ end }}
{{- end }}

{{- define "central-otel.keysSecretName" -}}
{{- printf "%s-keys" (include "central-otel.fullname" .) }}
{{- end }}

{{- define "central-otel.headersSecretName" -}}
{{- printf "%s-otlp-headers" (include "central-otel.fullname" .) }}
{{- end }}

{{/* Where the config, the keys and the sidecar's config are mounted. */}}
{{- define "central-otel.configPath" -}}/etc/central-otel/config.yaml{{- end }}
{{- define "central-otel.keysDir" -}}/etc/central-otel/keys{{- end }}
{{- define "central-otel.inventoryDir" -}}/etc/central-otel/inventory{{- end }}

{{/*
The Classic customers' inventory secrets as YAML: {secret name: [{key: entry, path:
customer/file}]}. Fails on an inventory without the volume its rotated token needs (a
New Central inventory uses its streams' token: no secret, no volume).
*/}}
{{- define "central-otel.inventorySources" -}}
{{- $sources := dict }}
{{- range $name, $customer := .Values.customers }}
{{- if ne ($customer.platform | default "classic") "new_central" }}
{{- with $customer.inventory }}
{{- if not $.Values.persistence.enabled }}
{{- fail (printf "customers.%s.inventory: needs persistence.enabled (Central replaces the API refresh token at every refresh; the newest one must survive a restart in state_dir)" $name) }}
{{- end }}
{{- $items := get $sources .existingSecret | default list }}
{{- $items = append $items (dict "key" (.clientSecretKey | default "client-secret") "path" (printf "%s/client-secret" $name)) }}
{{- $items = append $items (dict "key" (.refreshTokenKey | default "refresh-token") "path" (printf "%s/refresh-token" $name)) }}
{{- $_ := set $sources .existingSecret $items }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $sources }}
{{- end }}

{{/*
Where each customer's key comes from, as YAML: {secret name: [{key: entry, path: customer}]}.
Fails on a customer without a key source.
*/}}
{{- define "central-otel.keySources" -}}
{{- $sources := dict }}
{{- if not .Values.customers }}
{{- fail "customers: no customer configured; add at least one, e.g. --set customers.CustomerA.topics={monitoring} with existingSecret (see the chart's README)" }}
{{- end }}
{{- range $name, $customer := .Values.customers }}
{{- $secret := "" }}
{{- $entry := $name }}
{{- $newCentral := eq ($customer.platform | default "classic") "new_central" }}
{{- $quick := ternary "clientSecret" "key" $newCentral }}
{{- $what := ternary "client secret" "streaming key" $newCentral }}
{{- if or $customer.key $customer.clientSecret }}
{{- if or $customer.existingSecret $customer.existingSecretKey }}
{{- fail (printf "customers.%s: give either %s (quick start) or existingSecret/existingSecretKey, not both" $name $quick) }}
{{- end }}
{{- $secret = include "central-otel.keysSecretName" $ }}
{{- else }}
{{- $secret = $customer.existingSecret | default $.Values.existingSecret }}
{{- if not $secret }}
{{- fail (printf "customers.%s: no %s; set existingSecret (a Secret with an entry named %s) or, for a quick start, customers.%s.%s" $name $what $name $name $quick) }}
{{- end }}
{{- $entry = $customer.existingSecretKey | default $name }}
{{- end }}
{{- $items := get $sources $secret | default list }}
{{- $_ := set $sources $secret (append $items (dict "key" $entry "path" $name)) }}
{{- end }}
{{- toYaml $sources }}
{{- end }}

{{/*
The OTLP headers as YAML: {header name: {env: VAR, secret: NAME, key: ENTRY}}.
*/}}
{{- define "central-otel.headerSources" -}}
{{- $headers := dict }}
{{- $vars := dict }}
{{- range $name, $header := .Values.otlpHeaders }}
{{- $var := printf "OTEL_HEADER_%s" (regexReplaceAll "[^A-Z0-9]" (upper $name) "_") }}
{{- if hasKey $vars $var }}
{{- fail (printf "otlpHeaders: %s and %s both become the variable %s; rename one" (get $vars $var) $name $var) }}
{{- end }}
{{- $_ := set $vars $var $name }}
{{- if and (hasKey $header "value") (or $header.existingSecret $header.existingSecretKey) }}
{{- fail (printf "otlpHeaders.%s: give either value or existingSecret/existingSecretKey, not both" $name) }}
{{- end }}
{{- if hasKey $header "value" }}
{{- $_ := set $headers $name (dict "env" $var "secret" (include "central-otel.headersSecretName" $) "key" $name) }}
{{- else if and $header.existingSecret $header.existingSecretKey }}
{{- $_ := set $headers $name (dict "env" $var "secret" $header.existingSecret "key" $header.existingSecretKey) }}
{{- else }}
{{- fail (printf "otlpHeaders.%s: set value, or existingSecret and existingSecretKey" $name) }}
{{- end }}
{{- end }}
{{- toYaml $headers }}
{{- end }}

{{/*
The bridge's configuration file: .Values.config plus what the chart owns.
*/}}
{{- define "central-otel.config" -}}
{{- $config := deepCopy (.Values.config | default dict) }}
{{- range $key := list "customers" }}
{{- if hasKey $config $key }}
{{- fail (printf "config.%s: set by the chart from .Values.customers; remove it from config" $key) }}
{{- end }}
{{- end }}
{{- $customers := dict }}
{{- range $name, $customer := .Values.customers }}
{{- $secretFile := printf "%s/%s" (include "central-otel.keysDir" $) $name }}
{{- $entry := dict "key_file" $secretFile "topics" $customer.topics }}
{{- if eq ($customer.platform | default "classic") "new_central" }}
{{- $entry = dict "platform" "new_central" "base_url" $customer.base_url "client_id" $customer.client_id "client_secret_file" $secretFile "topics" $customer.topics }}
{{- with $customer.token_url }}
{{- $_ := set $entry "token_url" . }}
{{- end }}
{{- with $customer.event_types }}
{{- $_ := set $entry "event_types" . }}
{{- end }}
{{- end }}
{{- with $customer.username }}
{{- $_ := set $entry "username" . }}
{{- end }}
{{- with $customer.inventory }}
{{- $dir := printf "%s/%s" (include "central-otel.inventoryDir" $) $name }}
{{- $inventory := dict "api_base_url" .api_base_url "client_id" .client_id "client_secret_file" (printf "%s/client-secret" $dir) "refresh_token_file" (printf "%s/refresh-token" $dir) }}
{{- if eq ($customer.platform | default "classic") "new_central" }}
{{- $inventory = dict }}
{{- end }}
{{- with .interval }}
{{- $_ := set $inventory "interval" . }}
{{- end }}
{{- $_ := set $entry "inventory" $inventory }}
{{- end }}
{{- $_ := set $customers $name $entry }}
{{- end }}
{{- $_ := set $config "customers" $customers }}
{{- $health := get $config "health" | default dict }}
{{- if hasKey $health "listen" }}
{{- fail "config.health.listen: set by the chart (0.0.0.0:<healthPort>); set healthPort instead" }}
{{- end }}
{{- $_ := set $health "listen" (printf "0.0.0.0:%d" (int .Values.healthPort)) }}
{{- $_ := set $config "health" $health }}
{{- $otlp := get $config "otlp" | default dict }}
{{- $headers := get $otlp "headers" | default dict }}
{{- range $name, $header := include "central-otel.headerSources" . | fromYaml }}
{{- if hasKey $headers $name }}
{{- fail (printf "config.otlp.headers.%s: also in otlpHeaders; keep one" $name) }}
{{- end }}
{{- $_ := set $headers $name (printf "${env:%s}" $header.env) }}
{{- end }}
{{- if $headers }}
{{- $_ := set $otlp "headers" $headers }}
{{- end }}
{{- if .Values.sidecar.enabled }}
{{- range $key := list "endpoint" "protocol" "insecure" }}
{{- if hasKey $otlp $key }}
{{- fail (printf "config.otlp.%s: set by the chart when sidecar.enabled (the collector on localhost); remove it" $key) }}
{{- end }}
{{- end }}
{{- $_ := set $otlp "endpoint" "http://localhost:4317" }}
{{- $_ := set $otlp "protocol" "grpc" }}
{{- if not (hasKey $otlp "compression") }}
{{- $_ := set $otlp "compression" "none" }}
{{- end }}
{{- end }}
{{- if $otlp }}
{{- $_ := set $config "otlp" $otlp }}
{{- end }}
{{- if .Values.persistence.enabled }}
{{- if hasKey $config "state_dir" }}
{{- fail "config.state_dir: set by the chart when persistence.enabled (persistence.mountPath); remove it" }}
{{- end }}
{{- $_ := set $config "state_dir" .Values.persistence.mountPath }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
The sidecar collector's configuration.
*/}}
{{- define "central-otel.collectorConfig" -}}
{{- $exporters := .Values.sidecar.exporters | default (dict "debug" (dict "verbosity" "basic")) }}
{{- $names := keys $exporters | sortAlpha }}
{{- $processors := list "memory_limiter" "groupbyattrs/devices" "batch" }}
{{- $pipeline := dict "receivers" (list "otlp") "processors" $processors "exporters" $names }}
{{- $config := dict
  "extensions" (dict "health_check" (dict "endpoint" "0.0.0.0:13133"))
  "receivers" (dict "otlp" (dict "protocols" (dict
    "grpc" (dict "endpoint" "127.0.0.1:4317")
    "http" (dict "endpoint" "127.0.0.1:4318"))))
  "processors" (dict
    "memory_limiter" (dict "check_interval" "1s" "limit_percentage" 80 "spike_limit_percentage" 20)
    "groupbyattrs/devices" (dict "keys" (list "host.id" "host.name" "host.mac" "host.ip" "aruba.customer.name"))
    "batch" (dict "send_batch_size" 8192 "timeout" "10s"))
  "exporters" $exporters
  "service" (dict
    "extensions" (list "health_check")
    "pipelines" (dict "metrics" $pipeline "logs" $pipeline)
    "telemetry" (dict "metrics" (dict "readers" (list (dict "pull" (dict "exporter" (dict "prometheus" (dict "host" "0.0.0.0" "port" 8888))))))))
}}
{{- toYaml (mustMergeOverwrite $config (deepCopy (.Values.sidecar.config | default dict))) }}
{{- end }}
