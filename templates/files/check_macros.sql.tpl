{% verbatim %}{#{% endverbatim %} {{ m.Header }}

   Dates, statistics and tiers the reconciliations and monitors share. #}

{% verbatim %}
{# The date checks are judged on: the var invgen_as_of_date when set (a
   replay of a past day, or a test), else today where today began last of
   all the sources' timezones, so that yesterday is over in every one. #}
{% macro invgen_as_of_date() %}
    {%- set as_of = var('invgen_as_of_date', none) -%}
    {%- if as_of -%}
        cast('{{ as_of }}' as date)
    {%- else -%}
        {{ invgen_today() }}
    {%- endif -%}
{% endmacro %}
{% endverbatim %}
{% if m.Zones|length > 1 %}
{% verbatim %}

{% macro invgen_today() -%}
    least(
{% endverbatim %}
{% for zone in m.Zones %}
        {% verbatim %}{{{% endverbatim %} invgen_business_date(invgen_utc_now(), '{{ zone }}') {% verbatim %}}}{% endverbatim %}{% if not forloop.Last %},{% endif %}
{% endfor %}
{% verbatim %}
    )
{%- endmacro %}
{% endverbatim %}
{% elif m.Zones %}
{% verbatim %}

{% macro invgen_today() -%}
{% endverbatim %}
    {% verbatim %}{{{% endverbatim %} invgen_business_date(invgen_utc_now(), '{{ m.Zones.0 }}') {% verbatim %}}}{% endverbatim %}
{% verbatim %}
{%- endmacro %}
{% endverbatim %}
{% else %}
{% verbatim %}

{% macro invgen_today() -%}
    cast({{ invgen_utc_now() }} as date)
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% verbatim %}

{# The current time as a UTC timestamp without a zone, the form the
   timezone macros take. #}
{% macro invgen_utc_now() %}
    {{- return(adapter.dispatch('invgen_utc_now', 'invgen')()) -}}
{% endmacro %}

{% macro default__invgen_utc_now() -%}
    (current_timestamp at time zone 'UTC')
{%- endmacro %}

{% macro duckdb__invgen_utc_now() -%}
    timezone('UTC', current_timestamp)
{%- endmacro %}
{% endverbatim %}
{% if m.Snowflake %}
{% verbatim %}

{% macro snowflake__invgen_utc_now() -%}
    sysdate()
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% if m.BigQuery %}
{% verbatim %}

{% macro bigquery__invgen_utc_now() -%}
    current_timestamp()
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% if m.Spark %}
{% verbatim %}

{# Spark: current_timestamp() is wall-clock time in the session's zone. #}
{% macro spark__invgen_utc_now() -%}
    to_utc_timestamp(current_timestamp(), current_timezone())
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% verbatim %}

{# When this dbt invocation started, in UTC: the one stamp every model of
   a run shares, where the database's clock differs from model to model. The
   ledger tells two runs of one as-of date apart by it and keeps the later. #}
{% macro invgen_run_started_at() %}
    {%- set started = run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') -%}
    cast('{{ started }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{# The business date monitors judge: the last complete day before the
   as-of date. #}
{% macro invgen_evaluated_date() %}
    {{- return("cast(" ~ dbt.dateadd('day', -1, invgen_as_of_date()) ~ " as date)") -}}
{% endmacro %}

{# The first business date of a window of days ending the day before the
   evaluated date. #}
{% macro invgen_window_start(days) %}
    {{- return("cast(" ~ dbt.dateadd('day', -1 * days, invgen_evaluated_date()) ~ " as date)") -}}
{% endmacro %}

{# A continuous percentile of expr over the group, fraction in [0, 1]. #}
{% macro invgen_percentile(expr, fraction) %}
    {{- return(adapter.dispatch('invgen_percentile', 'invgen')(expr, fraction)) -}}
{% endmacro %}

{% macro default__invgen_percentile(expr, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expr }})
{%- endmacro %}
{% endverbatim %}
{% if m.BigQuery %}
{% verbatim %}

{% macro bigquery__invgen_percentile(expr, fraction) -%}
    approx_quantiles({{ expr }}, 100)[offset({{ (fraction * 100) | int }})]
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% if m.Spark %}
{% verbatim %}

{% macro spark__invgen_percentile(expr, fraction) -%}
    percentile({{ expr }}, {{ fraction }})
{%- endmacro %}
{% endverbatim %}
{% endif %}
{% verbatim %}

{# Passes when no break is worth the ticket threshold or more: a break that
   big goes to the owning team the same day. #}
{% test invgen_ticket_breaks(model) %}

select * from {{ model }}
where abs(break_value) >= {{ var('invgen_ticket_value') }}

{% endtest %}

{# Passes when a monitor raises no alert. #}
{% test invgen_monitor_alerts(model) %}

select * from {{ model }}
where status = 'alert'

{% endtest %}

{# Passes when a monitor has history enough to judge: too little history is
   reported, never a false alarm and never a silent pass. #}
{% test invgen_insufficient_history(model) %}

select * from {{ model }}
where status = 'insufficient history'

{% endtest %}
{% endverbatim %}
