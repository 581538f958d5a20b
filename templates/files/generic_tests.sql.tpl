{% verbatim %}{#{% endverbatim %} {{ m.Header }}

   Generic tests of the generated project. #}

{% verbatim %}
{# Passes when the model has no rows. Reconciliation models and quarantines
   are built so that their correct answer is empty; every row is a finding. #}
{% test invgen_no_rows(model) %}

select * from {{ model }}

{% endtest %}
{% endverbatim %}
