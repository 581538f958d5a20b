{% verbatim %}{#{% endverbatim %} {{ m.Header }}

   Source timezones. Each contract states the timezone its business dates
   live in and whether event_time is local wall-clock time there or UTC.
   These macros convert between the two and derive the business date, once
   per warehouse, so no model hand-rolls timezone arithmetic: a business
   date taken in the wrong zone splits one day's movements across two. #}

{% verbatim %}
{# The wall-clock time in tz of a UTC timestamp. #}
{% macro invgen_local_time(ts_utc, tz) %}
    {{- return(adapter.dispatch('invgen_local_time', 'invgen')(ts_utc, tz)) -}}
{% endmacro %}

{# The UTC timestamp of a wall-clock time in tz. #}
{% macro invgen_utc_time(ts_local, tz) %}
    {{- return(adapter.dispatch('invgen_utc_time', 'invgen')(ts_local, tz)) -}}
{% endmacro %}

{# The business date in tz of a UTC timestamp. #}
{% macro invgen_business_date(ts_utc, tz) %}
    {{- return(adapter.dispatch('invgen_business_date', 'invgen')(ts_utc, tz)) -}}
{% endmacro %}

{% macro default__invgen_business_date(ts_utc, tz) -%}
    cast({{ invgen_local_time(ts_utc, tz) }} as date)
{%- endmacro %}

{% macro default__invgen_local_time(ts_utc, tz) -%}
    (({{ ts_utc }} at time zone 'UTC') at time zone '{{ tz }}')
{%- endmacro %}

{% macro default__invgen_utc_time(ts_local, tz) -%}
    (({{ ts_local }} at time zone '{{ tz }}') at time zone 'UTC')
{%- endmacro %}

{# DuckDB: timezone(zone, timestamp) reads a naive timestamp as wall-clock
   time in zone; timezone(zone, timestamptz) gives the wall-clock time there. #}
{% macro duckdb__invgen_local_time(ts_utc, tz) -%}
    timezone('{{ tz }}', timezone('UTC', {{ ts_utc }}))
{%- endmacro %}

{% macro duckdb__invgen_utc_time(ts_local, tz) -%}
    timezone('UTC', timezone('{{ tz }}', {{ ts_local }}))
{%- endmacro %}
{% endverbatim %}
{% if m.Postgres %}
{% verbatim %}

{# PostgreSQL: "at time zone" converts both ways, as the default does. #}
{% macro postgres__invgen_local_time(ts_utc, tz) -%}
    {{ return(default__invgen_local_time(ts_utc, tz)) }}
{%- endmacro %}

{% macro postgres__invgen_utc_time(ts_local, tz) -%}
    {{ return(default__invgen_utc_time(ts_local, tz)) }}
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% if m.Snowflake %}
{% verbatim %}

{% macro snowflake__invgen_local_time(ts_utc, tz) -%}
    convert_timezone('UTC', '{{ tz }}', {{ ts_utc }})
{%- endmacro %}

{% macro snowflake__invgen_utc_time(ts_local, tz) -%}
    convert_timezone('{{ tz }}', 'UTC', {{ ts_local }})
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% if m.BigQuery %}
{% verbatim %}

{# BigQuery: DATETIME is wall-clock time, TIMESTAMP an instant. #}
{% macro bigquery__invgen_local_time(ts_utc, tz) -%}
    datetime(timestamp({{ ts_utc }}), '{{ tz }}')
{%- endmacro %}

{% macro bigquery__invgen_utc_time(ts_local, tz) -%}
    datetime(timestamp({{ ts_local }}, '{{ tz }}'))
{%- endmacro %}

{% macro bigquery__invgen_business_date(ts_utc, tz) -%}
    date(timestamp({{ ts_utc }}), '{{ tz }}')
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% if m.Spark %}
{% verbatim %}

{% macro spark__invgen_local_time(ts_utc, tz) -%}
    from_utc_timestamp({{ ts_utc }}, '{{ tz }}')
{%- endmacro %}

{% macro spark__invgen_utc_time(ts_local, tz) -%}
    to_utc_timestamp({{ ts_local }}, '{{ tz }}')
{%- endmacro %}
{% endverbatim %}
{% endif %}
