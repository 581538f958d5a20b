-- {{ m.Header }}
--
-- Rows of {{ m.Source }} that break its contract, held here with the
-- reason instead of being dropped or counted. Owner: {{ m.Owner }}.

select
    coalesce(violation, 'duplicate idempotency key') as quarantine_reason,
    {{ m.QuarantinedAt }} as quarantined_at,
{% for line in m.Columns %}
    {{ line }}
{% endfor %}

from {{ m.BaseRef }}
where violation is not null
    or occurrence > 1
