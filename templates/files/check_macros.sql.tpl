{% verbatim %}{#{% endverbatim %} {{ m.Header }}

   Dates and tiers the reconciliation models share. #}

{% verbatim %}
{# The date checks are judged on: the var invgen_as_of_date when set (a
   replay of a past day, or a test), else today. #}
{% macro invgen_as_of_date() %}
    {%- set as_of = var('invgen_as_of_date', none) -%}
    {%- if as_of -%}
        cast('{{ as_of }}' as date)
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as date)
    {%- endif -%}
{% endmacro %}

{# Passes when no break is worth the ticket threshold or more: a break that
   big goes to the owning team the same day. #}
{% test invgen_ticket_breaks(model) %}

select * from {{ model }}
where abs(break_value) >= {{ var('invgen_ticket_value') }}

{% endtest %}
{% endverbatim %}
