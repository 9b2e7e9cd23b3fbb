{{/*
The pod template shared by the Deployment (shards: 1) and the StatefulSet (shards > 1).
*/}}
{{- define "central-otel.podTemplate" -}}
{{- $sharded := include "central-otel.sharded" . }}
{{- $keySources := include "central-otel.keySources" . | fromYaml }}
{{- $inventorySources := include "central-otel.inventorySources" . | fromYaml }}
{{- $headerSources := include "central-otel.headerSources" . | fromYaml }}
metadata:
  labels:
    {{- include "central-otel.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include "central-otel.config" . | sha256sum }}
    {{- if or (include "central-otel.chartKeys" .) (include "central-otel.chartHeaders" .) }}
    checksum/secrets: {{ printf "%s\n%s" (include "central-otel.chartKeys" .) (include "central-otel.chartHeaders" .) | sha256sum }}
    {{- end }}
    {{- if .Values.sidecar.enabled }}
    checksum/collector-config: {{ include "central-otel.collectorConfig" . | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "central-otel.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.automountServiceAccountToken }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  {{- with .Values.podSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if .Values.sidecar.enabled }}
  # The collector as a native sidecar: started (and healthy) before the bridge,
  # stopped after it.
  initContainers:
    - name: otel-collector
      image: {{ printf "%s:%s" .Values.sidecar.image.repository .Values.sidecar.image.tag }}
      imagePullPolicy: {{ .Values.sidecar.image.pullPolicy }}
      restartPolicy: Always
      args:
        - --config=/etc/otelcol/config.yaml
      ports:
        - name: otelcol-metrics
          containerPort: 8888
          protocol: TCP
        - name: otelcol-health
          containerPort: 13133
          protocol: TCP
      {{- with .Values.sidecar.env }}
      env:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      startupProbe:
        httpGet:
          path: /
          port: otelcol-health
        periodSeconds: 2
        failureThreshold: 30
      livenessProbe:
        httpGet:
          path: /
          port: otelcol-health
        periodSeconds: 10
      readinessProbe:
        httpGet:
          path: /
          port: otelcol-health
        periodSeconds: 10
      {{- with .Values.sidecar.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts:
        - name: collector-config
          mountPath: /etc/otelcol
          readOnly: true
        {{- with .Values.sidecar.volumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  {{- end }}
  containers:
    - name: central-otel
      image: {{ include "central-otel.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args:
        - run
        - --config
        - {{ include "central-otel.configPath" . }}
        {{- if $sharded }}
        - --shard-count
        - {{ .Values.shards | int | quote }}
        {{- end }}
        {{- range .Values.extraArgs }}
        - {{ . | quote }}
        {{- end }}
      ports:
        - name: health
          containerPort: {{ .Values.healthPort }}
          protocol: TCP
      env:
        - name: K8S_POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: K8S_NAMESPACE_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: K8S_NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        {{- $attributes := list "k8s.pod.name=$(K8S_POD_NAME)" "k8s.namespace.name=$(K8S_NAMESPACE_NAME)" "k8s.node.name=$(K8S_NODE_NAME)" }}
        {{- if not $sharded }}
        {{- /* A Deployment's pod name changes on every restart; the bridge's series should not. */}}
        {{- $attributes = append $attributes (printf "service.instance.id=%s/%s" .Release.Namespace (include "central-otel.fullname" .)) }}
        {{- end }}
        {{- range $key, $value := .Values.resourceAttributes }}
        {{- $attributes = append $attributes (printf "%s=%s" $key (toString $value)) }}
        {{- end }}
        - name: OTEL_RESOURCE_ATTRIBUTES
          value: {{ join "," $attributes | quote }}
        {{- range $name, $header := $headerSources }}
        - name: {{ $header.env }}
          valueFrom:
            secretKeyRef:
              name: {{ $header.secret }}
              key: {{ $header.key | quote }}
        {{- end }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .Values.livenessProbe }}
      livenessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.readinessProbe }}
      readinessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts:
        - name: config
          mountPath: {{ include "central-otel.configPath" . }}
          subPath: config.yaml
          readOnly: true
        - name: keys
          mountPath: {{ include "central-otel.keysDir" . }}
          readOnly: true
        {{- if $inventorySources }}
        - name: inventory
          mountPath: {{ include "central-otel.inventoryDir" . }}
          readOnly: true
        {{- end }}
        - name: tmp
          mountPath: /tmp
        {{- if .Values.persistence.enabled }}
        - name: state
          mountPath: {{ .Values.persistence.mountPath }}
        {{- end }}
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "central-otel.fullname" . }}-config
    - name: keys
      projected:
        defaultMode: 288  # 0440: root, group fsGroup
        sources:
          {{- range $secret, $items := $keySources }}
          - secret:
              name: {{ $secret }}
              items:
                {{- range $items }}
                - key: {{ .key | quote }}
                  path: {{ .path | quote }}
                {{- end }}
          {{- end }}
    {{- if $inventorySources }}
    - name: inventory
      projected:
        defaultMode: 288  # 0440: root, group fsGroup
        sources:
          {{- range $secret, $items := $inventorySources }}
          - secret:
              name: {{ $secret }}
              items:
                {{- range $items }}
                - key: {{ .key | quote }}
                  path: {{ .path | quote }}
                {{- end }}
          {{- end }}
    {{- end }}
    - name: tmp
      emptyDir:
        {{- with .Values.tmp.sizeLimit }}
        sizeLimit: {{ . }}
        {{- end }}
    {{- if and .Values.persistence.enabled (not $sharded) }}
    - name: state
      persistentVolumeClaim:
        claimName: {{ .Values.persistence.existingClaim | default (printf "%s-state" (include "central-otel.fullname" .)) }}
    {{- end }}
    {{- if .Values.sidecar.enabled }}
    - name: collector-config
      configMap:
        name: {{ include "central-otel.fullname" . }}-collector
    {{- end }}
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* The Secret data the chart creates (quick start), as YAML; empty when none. */}}
{{- define "central-otel.chartKeys" -}}
{{- range $name, $customer := .Values.customers }}
{{- with $customer.key | default $customer.clientSecret }}
{{ $name | quote }}: {{ . | toString | b64enc }}
{{- end }}
{{- end }}
{{- end }}

{{- define "central-otel.chartHeaders" -}}
{{- range $name, $header := .Values.otlpHeaders }}
{{- if hasKey $header "value" }}
{{ $name | quote }}: {{ $header.value | toString | b64enc }}
{{- end }}
{{- end }}
{{- end }}
