{% for line in m.Header %}
-- {{ line }}
{% endfor %}
--
-- Rows of {{ m.Source }} that break its contract, held here with the
-- reason instead of being dropped or counted. Owner: {{ m.Owner }}.

select
    case
        when violation is not null then violation
        when payload_occurrence > 1 then 'exact replay'
        else 'duplicate idempotency key'
    end as quarantine_reason,
    {{ m.QuarantinedAt }} as quarantined_at,
{% for line in m.Columns %}
    {{ line }}
{% endfor %}

from {{ m.BaseRef }}
where violation is not null
    or occurrence > 1
