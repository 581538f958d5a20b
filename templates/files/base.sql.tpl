-- {{ m.Header }}
--
-- Every raw row of {{ m.Source }}, typed, renamed to canonical roles and
-- checked against its contract. {{ m.Stg }} keeps the rows that
-- pass; {{ m.Quarantine }} holds the rest.

with source as (

    select * from {{ m.SourceRef }}

),
{% for cte in m.CTEs %}

{{ cte.Name }} as (

    select
{% for line in cte.Select %}
        {{ line }}
{% endfor %}

    from {{ cte.From }}
{% for line in cte.Tail %}
    {{ line }}
{% endfor %}

){% if not forloop.Last %},{% endif %}
{% endfor %}

select * from {{ m.Last }}
