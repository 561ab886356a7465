#!/usr/bin/env python3
"""The network requests that web pages made, from a Chromium net log (--log-net-log).

Prints one URL per line: every request whose start has an initiator that is an origin (a
page gives its own, "null" for a file) or whose network isolation key is a page's. The
browser's own traffic (component updates, account checks), which a headless Chromium
starts whatever its flags, has the initiator "not an origin" and is left out; so is the
navigation to the page itself, which the command line starts.

A net log that cannot be read, or that holds no request start at all, is an error: the
check would otherwise pass without having looked.

usage: page-requests.py NET_LOG
"""
import json
import sys

with open(sys.argv[1]) as file:
    log = json.load(file)
event_types = {number: name for name, number in log["constants"]["logEventTypes"].items()}
starts = [event["params"] for event in log["events"]
          if event_types.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in event.get("params", {})]
if not starts:
    sys.exit(f"{sys.argv[1]}: no request start in the net log")
for params in starts:
    initiator = params.get("initiator", "not an origin")
    from_page = initiator != "not an origin" or "file://" in params.get("network_isolation_key", "")
    if from_page:
        print(params["url"])
