{% for line in m.Header %}
# {{ line }}
{% endfor %}
version: 2

models:
{% for model in m.Models %}
  - name: {{ model.Name }}
    description: {{ model.Description }}
    config:
{% if model.Materialized %}
      materialized: {{ model.Materialized }}
{% endif %}
      meta:
{% for kv in m.Meta %}
        {{ kv.Key }}: {{ kv.Value }}
{% endfor %}
{% if model.Tests %}
    data_tests:
{% for t in model.Tests %}
      - {{ t.Generic }}:
          name: {{ t.Name }}
{% if t.Args %}
          arguments:
{% for a in t.Args %}
            {{ a.Key }}: {{ a.Value }}
{% endfor %}
{% endif %}
          config:
{% for c in t.Config %}
            {{ c.Key }}: {{ c.Value }}
{% endfor %}
{% endfor %}
{% endif %}
    columns:
{% for col in model.Columns %}
      - name: {{ col.Name }}
        description: {{ col.Description }}
{% endfor %}
{% endfor %}
