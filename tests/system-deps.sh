#!/usr/bin/env bash
# Installs the Debian packages the browser and server tests need, when it can (as root with apt).
# Where it cannot, it prints one line saying what to install; the tests that need them then fail.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || missing+=(libnginx-mod-http-brotli-static)
command -v htmlproofer >/dev/null 2>&1 || missing+=(ruby-html-proofer)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)  # the Nu HTML Checker (vnu-jar)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "Could not install ${missing[*]}; run: sudo apt-get install ${missing[*]}"
else
  echo "Missing ${missing[*]}: run 'sudo apt-get install ${missing[*]}' (the browser and server tests need them)"
fi
exit 0
