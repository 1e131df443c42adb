#!/usr/bin/env python3
"""Summarise a kafka-backup offset report: messages per topic, lag per group.

Usage: python3 analyze_offsets.py [offset-report.json]
"""
import json
import sys


def analyze(report_path):
    with open(report_path) as f:
        report = json.load(f)

    print(f"Backup: {report.get('backup_id')}")

    # Topic summary
    for topic, data in report.get('topics', {}).items():
        partitions = data.get('partitions', {})
        total = sum(p.get('end_offset', 0) for p in partitions.values())
        print(f"  {topic}: {len(partitions)} partitions, {total} messages")

    # Consumer group lag. `lag` is null for a partition that is not in the backup;
    # a partition the group never committed on has `offset: null`, `uncommitted: true`
    # and its lag counted from the partition's start.
    for group, group_data in report.get('consumer_groups', {}).items():
        partitions = group_data.get('partitions', {})
        total_lag = sum(p.get('lag') or 0 for p in partitions.values())
        uncommitted = [k for k, p in partitions.items() if p.get('uncommitted')]
        note = f" ({len(uncommitted)} partition(s) never committed)" if uncommitted else ""
        print(f"  {group}: total lag = {total_lag}{note}")


if __name__ == '__main__':
    analyze(sys.argv[1] if len(sys.argv) > 1 else 'offset-report.json')
