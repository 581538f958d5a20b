{% verbatim %}{#{% endverbatim %} {{ m.Header }}

   Types dbt has no cross-database macro for. #}

{% verbatim %}
{# A double-precision float. dbt.type_float() is single precision on DuckDB,
   too coarse for quantities and money. #}
{% macro invgen_type_double() %}
    {{- return(adapter.dispatch('invgen_type_double', 'invgen')()) -}}
{% endmacro %}

{% macro default__invgen_type_double() -%}
    double precision
{%- endmacro %}
{% endverbatim %}
{% if m.BigQuery %}
{% verbatim %}

{% macro bigquery__invgen_type_double() -%}
    float64
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% if m.Spark %}
{% verbatim %}

{% macro spark__invgen_type_double() -%}
    double
{%- endmacro %}
{% endverbatim %}
{% endif %}
