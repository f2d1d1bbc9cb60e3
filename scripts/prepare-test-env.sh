#!/usr/bin/env bash
# Makes sure what the test suite talks to is there: Debian's Chromium for the browser tests, and
# Redis + PostgreSQL for the multi-node adapters. In CI (CI=true) missing pieces are installed or started,
# because those tests must run for real there. On a laptop nothing is installed: the tests that need a
# missing piece skip with a visible notice instead.
set -u

want_ci=${CI:-}
as_root=""
[ "$(id -u)" = "0" ] || as_root="sudo"

have_port() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

apt_install() {
  if command -v apt-get >/dev/null 2>&1; then
    [ -n "${APT_UPDATED:-}" ] || { $as_root apt-get update -qq >/dev/null 2>&1; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "$@" >/dev/null 2>&1
  fi
}

if [ ! -x /usr/bin/chromium ]; then
  if [ -n "$want_ci" ]; then
    echo "prepare-test-env: installing Debian's chromium for the browser tests"
    apt_install chromium fonts-dejavu-core || echo "prepare-test-env: could not install chromium" >&2
  else
    echo "prepare-test-env: NOTICE /usr/bin/chromium not found: browser tests will be skipped (apt-get install chromium)"
  fi
fi

if ! have_port 6379; then
  if [ -n "$want_ci" ]; then
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    echo "prepare-test-env: starting redis on 127.0.0.1:6379"
    mkdir -p /tmp/beseda-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/beseda-redis >/dev/null 2>&1 || true
  else
    echo "prepare-test-env: NOTICE no Redis on 127.0.0.1:6379: Redis tests will be skipped"
  fi
fi

if ! have_port 5432; then
  if [ -n "$want_ci" ]; then
    if ! ls /etc/postgresql >/dev/null 2>&1; then apt_install postgresql; fi
    echo "prepare-test-env: starting PostgreSQL on 127.0.0.1:5432"
    ver=$(ls /etc/postgresql | head -1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do have_port 5432 && break; sleep 1; done
    su postgres -c "psql -tc \"select 1 from pg_database where datname='test'\" | grep -q 1 || createdb test" >/dev/null 2>&1 || true
  else
    echo "prepare-test-env: NOTICE no PostgreSQL on 127.0.0.1:5432: PostgreSQL tests will be skipped"
  fi
fi
exit 0
