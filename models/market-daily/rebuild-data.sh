#!/usr/bin/env bash
# Rebuilds data/pretrain/*.csv and data/reserved/*.csv from Debian's R data packages (bookworm versions pinned
# below, and EuStockMarkets from r-base-core 4.2.2.20221110-2's datasets; the checksums in data/SHA256SUMS say whether the result is byte-identical). Needs apt-get download and
# Rscript (apt-get install r-base-core); the build, the tests and CI never need R: the CSVs are committed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pkgs=(r-cran-timeseries=4021.105-2 r-cran-aer=1.2-10-1 r-cran-fbasics=4021.93-1 r-cran-fportfolio=3042.83.1-1+b1
      r-cran-fgarch=4022.89-1 r-cran-timedate=4022.108-1)
(cd "$work" && apt-get download "${pkgs[@]}" >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
rm -rf "$here/data/pretrain" "$here/data/reserved"
Rscript "$here/convert.R" "$work/root" "$here/data"
(cd "$here/data" && sha256sum pretrain/*.csv reserved/*.csv > SHA256SUMS.new)
if [ -f "$here/data/SHA256SUMS" ] && ! cmp -s "$here/data/SHA256SUMS" "$here/data/SHA256SUMS.new"; then
  echo "rebuild-data: the CSVs differ from data/SHA256SUMS (diff below)" >&2
  diff "$here/data/SHA256SUMS" "$here/data/SHA256SUMS.new" >&2 || true
fi
mv "$here/data/SHA256SUMS.new" "$here/data/SHA256SUMS"
echo "rebuild-data: $(ls "$here"/data/pretrain | wc -l) pretraining and $(ls "$here"/data/reserved | wc -l) reserved series"
