#!/bin/sh
# Re-extracts credit_data.csv from the Debian package r-cran-modeldata 1.1.0-1 (bookworm).
# Needs apt-get, dpkg-deb and Rscript (Debian package r-base-core); the build and the tests do not need R.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download r-cran-modeldata=1.1.0-1
dpkg-deb -x r-cran-modeldata_1.1.0-1_all.deb pkg
Rscript -e 'e <- new.env(); lazyLoad("pkg/usr/lib/R/site-library/modeldata/data/Rdata", envir = e); d <- get("credit_data", envir = e); write.csv(d, "credit_data.csv", row.names = FALSE, na = "")'
cp credit_data.csv "$here/credit_data.csv"
sha256sum "$here/credit_data.csv"
