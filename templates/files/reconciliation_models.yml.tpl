{% for line in m.Header %}
# {{ line }}
{% endfor %}
version: 2

models:
{% for model in m.Models %}
  - name: {{ model.Name }}
    description: {{ model.Description }}
{% if model.Meta %}
    config:
      meta:
{% for kv in model.Meta %}
        {{ kv.Key }}: {{ kv.Value }}
{% endfor %}
{% endif %}
{% if model.Tests %}
    data_tests:
{% for t in model.Tests %}
      - {{ t.Generic }}:
          name: {{ t.Name }}
          config:
            severity: {{ t.Severity }}
            meta:
{% for kv in t.Meta %}
              {{ kv.Key }}: {{ kv.Value }}
{% endfor %}
{% endfor %}
{% endif %}
{% if model.Columns %}
    columns:
{% for col in model.Columns %}
      - name: {{ col.Name }}
        description: {{ col.Description }}
{% endfor %}
{% endif %}
{% endfor %}
