{% for line in m.Header %}
# {{ line }}
{% endfor %}
version: 2

sources:
  - name: {{ m.Source }}
    description: {{ m.Description }}
{% if m.Database %}
    database: {{ m.Database }}
{% endif %}
    schema: {{ m.Schema }}
    config:
      meta:
{% for kv in m.Meta %}
        {{ kv.Key }}: {{ kv.Value }}
{% endfor %}
    tables:
      - name: {{ m.Table }}
        description: {{ m.Description }}
{% if m.Freshness %}
        config:
          loaded_at_field: {{ m.Freshness.LoadedAt }}
          freshness:
            warn_after: {count: {{ m.Freshness.WarnCount }}, period: {{ m.Freshness.WarnPeriod }}}
            error_after: {count: {{ m.Freshness.ErrorCount }}, period: {{ m.Freshness.ErrorPeriod }}}
{% endif %}
        columns:
{% for col in m.Columns %}
          - name: {{ col.Name }}
            description: {{ col.Description }}
{% endfor %}
