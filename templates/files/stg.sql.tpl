{% for line in m.Header %}
-- {{ line }}
{% endfor %}
--
{% for line in m.Summary %}
-- {{ line }}
{% endfor %}

select
{% for line in m.Columns %}
    {{ line }}
{% endfor %}

from {{ m.BaseRef }}
where violation is null
    and occurrence = 1
