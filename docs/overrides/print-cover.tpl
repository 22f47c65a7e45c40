{#- The title page of the print page and the PDF (mkdocs-print-site-plugin's cover page). -#}
<div class="guide-cover">
  <p class="guide-cover__title">{{ config.extra.full_title }}</p>
  <p class="guide-cover__description">{{ config.site_description }}</p>
  <p class="guide-cover__meta">By the MLLM Guide contributors. {{ config.copyright }}<br>
  <a href="{{ config.repo_url }}">{{ config.repo_url }}</a></p>
</div>
