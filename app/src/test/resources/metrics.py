"""Parses Prometheus' text exposition format from stdin with the Prometheus project's own parser
(python3-prometheus-client) and prints every sample as one JSON object per line:
{"name": ..., "labels": {...}, "value": ...}. Fails on text the parser refuses."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        print(json.dumps({"name": sample.name, "labels": sample.labels, "value": sample.value}))
