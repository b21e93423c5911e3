#!/usr/bin/env bash
# Install the Debian packages named as arguments that are not installed yet.
#
# As root: one `apt-get update`, then `apt-get install -y --no-install-recommends` of the
# missing ones. Not root (or no apt-get): print what is missing and how to install it; that is
# a failure when CI=true, a warning otherwise (the steps that need a package say so again).
set -euo pipefail

missing=()
for package in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  exit 0
fi

echo "Missing Debian packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
case "${CI:-}" in
  1 | true | TRUE | True | yes)
    echo "CI=true: missing system packages are a failure." >&2
    exit 1
    ;;
esac
exit 0
