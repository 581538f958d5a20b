{% for line in m.Header %}
# {{ line }}
{% endfor %}
# The CSV files beside this one are generated too; CSV has no comments.
version: 2

seeds:
{% for s in m.Seeds %}
  - name: {{ s.Name }}
    description: {{ s.Description }}
    columns:
{% for col in s.Columns %}
      - name: {{ col.Name }}
        description: {{ col.Description }}
{% endfor %}
{% endfor %}
