{% for line in m.Header %}
# {{ line }}
{% endfor %}
name: {{ m.Name }}
version: "1.0.0"
profile: {{ m.Profile }}
require-dbt-version: [">=1.10.8", "<2.0.0"]

model-paths: ["models"]
macro-paths: ["macros"]
seed-paths: ["seeds"]
test-paths: ["tests"]
clean-targets: ["target", "dbt_packages"]

flags:
  require_generic_test_arguments_property: true

vars:
{% for v in m.Vars %}
  # {{ v.Doc }}
  {{ v.Name }}: {{ v.Value }}
{% endfor %}

models:
  {{ m.Name }}:
    staging:
      +materialized: view
{% for f in m.Folders %}
    {{ f.Name }}:
      +materialized: {{ f.Materialized }}
{% endfor %}

data_tests:
  {{ m.Name }}:
    +store_failures: true
