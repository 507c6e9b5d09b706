#!/usr/bin/env bash
# Segment's Node client against the hub: starts the sandbox and the hub (from the built jar, PostgreSQL on
# 127.0.0.1:5432 as the warehouse, a schema of its own), installs @segment/analytics-node (package.json) and runs
# run.mjs, which sends identify, group, track, page, screen and alias and checks what Intercom (the sandbox) holds.
# Not part of the Maven tests.
#
#   compat/segment-node/run.sh            SKIP_BUILD=1 / JAR=path: reuse target/intercom-hub-*.jar / run that jar
#
# Needs: node 18+ and npm, psql, curl, java 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/common.sh

APP_PORT=18280
SANDBOX_PORT=18289
SCHEMA=compat_segment_node
WRITE_KEY=compat-write-key-0123456789
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
use_jar
clean_start
(cd compat/segment-node && npm install --no-audit --no-fund --silent)

start_sandbox 50 0
start_tracking_hub

cd compat/segment-node
HUB=http://127.0.0.1:$APP_PORT WRITE_KEY=$WRITE_KEY SANDBOX=http://127.0.0.1:$SANDBOX_PORT SANDBOX_TOKEN=sandbox-token \
  PSQL="psql -h 127.0.0.1 -U postgres -d test -qAt" INBOX=${SCHEMA}_hub.tracking_inbox node run.mjs
