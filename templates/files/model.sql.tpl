{% for line in m.Header %}
-- {{ line }}
{% endfor %}
--
{% for line in m.About %}
-- {{ line }}
{% endfor %}
{% if m.Config %}

{{ m.Config }}
{% endif %}
{% for cte in m.CTEs %}

{% if forloop.First %}with {% endif %}{{ cte.Name }} as (

{% for line in cte.Comment %}
    -- {{ line }}
{% endfor %}
{% for b in cte.Blocks %}
{% if not forloop.First %}

{% if cte.Distinct %}
    union
{% else %}
    union all
{% endif %}

{% endif %}
{% if b.Inline %}
    select {{ b.Select.0 }} from {{ b.From }}
{% else %}
    select
{% for line in b.Select %}
        {{ line }}
{% endfor %}

    from {{ b.From }}
{% for line in b.Tail %}
    {{ line }}
{% endfor %}
{% endif %}
{% endfor %}

){% if not forloop.Last %},{% endif %}
{% endfor %}

{% if m.Final.Inline %}
select {{ m.Final.Select.0 }} from {{ m.Final.From }}
{% else %}
select
{% for line in m.Final.Select %}
    {{ line }}
{% endfor %}
{% if m.Final.From %}

from {{ m.Final.From }}
{% endif %}
{% for line in m.Final.Tail %}
{{ line }}
{% endfor %}
{% endif %}
