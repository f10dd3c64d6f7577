# Converts the R data sets of Debian's R data packages into the CSVs under data/ (pretrain/) and data/reserved/.
# Run by rebuild-data.sh with the packages unpacked under $1 (usr/lib/R/site-library). Deterministic: fixed
# formats, no randomness, rows in the data sets' own order. Every CSV: a header, then time and price columns.
args <- commandArgs(trailingOnly = TRUE)
lib <- file.path(args[1], "usr/lib/R/site-library")
out <- args[2]
.libPaths(c(lib, .libPaths()))
suppressMessages({ library(timeDate); library(timeSeries) })
options(scipen = 100)
load1 <- function(pkg, name) {
  e <- new.env()
  data(list = name, package = pkg, lib.loc = if (pkg == "datasets") NULL else lib, envir = e)
  get(name, e)
}
fmt <- function(x) formatC(x, digits = 10, format = "g", flag = "")
write_prices <- function(file, times, prices) {
  keep <- is.finite(prices) & prices > 0
  d <- data.frame(time = times[keep], price = trimws(fmt(prices[keep])))
  write.csv(d, file, row.names = FALSE, quote = FALSE)
}
iso_day <- function(d) format(as.Date(d))
dir.create(file.path(out, "pretrain"), recursive = TRUE, showWarnings = FALSE)
dir.create(file.path(out, "reserved"), recursive = TRUE, showWarnings = FALSE)
p <- function(name) file.path(out, "pretrain", paste0(name, ".csv"))
r <- function(name) file.path(out, "reserved", paste0(name, ".csv"))

# fBasics DowJones30: 30 Dow Jones stocks, daily closes
dj <- load1("fBasics", "DowJones30")
for (col in names(dj)[-1]) write_prices(p(paste0("DJ30-", col)), iso_day(dj[[1]]), dj[[col]])
# fBasics nyse: NYSE composite index, daily
ny <- load1("fBasics", "nyse")
write_prices(p("NYSE-composite"), iso_day(ny[[1]]), ny[[2]])
# R datasets EuStockMarkets: DAX, SMI, CAC, FTSE daily closes (business days; the data set has no dates:
# consecutive weekdays from its start, 1991-07-01, are assigned)
eu <- EuStockMarkets
days <- seq(as.Date("1991-07-01"), by = "day", length.out = 3 * nrow(eu))
days <- days[!(format(days, "%u") %in% c("6", "7"))][seq_len(nrow(eu))]
for (col in colnames(eu)) write_prices(p(paste0("EU-", col)), iso_day(days), as.numeric(eu[, col]))
# fPortfolio SPISECTOR: Swiss Performance Index and its 9 sector indices, daily
sp <- load1("fPortfolio", "SPISECTOR")
for (col in colnames(sp)) write_prices(p(paste0("SPISECTOR-", col)), iso_day(rownames(sp)), as.numeric(sp[, col]))
# fPortfolio GCCINDEX: Gulf Cooperation Council stock indices, daily
gc <- load1("fPortfolio", "GCCINDEX")
for (col in colnames(gc)) write_prices(p(paste0("GCC-", col)), iso_day(rownames(gc)), as.numeric(gc[, col]))
# fPortfolio SWX: Swiss bond (SBI), real-estate (SII) and Pictet pension indices, daily (SPI is in SPISECTOR)
sw <- load1("fPortfolio", "SWX")
for (col in c("SBI", "SII", "LP25", "LP60")) write_prices(p(paste0("SWX-", col)), iso_day(rownames(sw)), as.numeric(sw[, col]))
# AER MSCISwitzerland and NYSESW: daily index levels
ms <- load1("AER", "MSCISwitzerland")
write_prices(p("MSCI-Switzerland"), iso_day(attr(ms, "index")), as.numeric(ms))
ns <- load1("AER", "NYSESW")
write_prices(p("NYSE-SW"), iso_day(attr(ns, "index")), as.numeric(ns))
# fGarch dem2gbp: daily DEM/GBP percent log returns, 1984-1991, cumulated into a rate index starting at 100
# (the data set has no dates: consecutive weekdays from 1984-01-03 are assigned)
dm <- load1("fGarch", "dem2gbp")[[1]]
dd <- seq(as.Date("1984-01-03"), by = "day", length.out = 3 * length(dm))
dd <- dd[!(format(dd, "%u") %in% c("6", "7"))][seq_len(length(dm))]
write_prices(p("FX-DEMGBP-index"), iso_day(dd), 100 * exp(cumsum(dm / 100)))
# timeSeries MSFT: daily OHLCV bars
m <- load1("timeSeries", "MSFT")
mb <- data.frame(time = iso_day(rownames(m)), open = trimws(fmt(m[, "Open"])), high = trimws(fmt(m[, "High"])),
                 low = trimws(fmt(m[, "Low"])), close = trimws(fmt(m[, "Close"])), volume = trimws(fmt(m[, "Volume"])))
write.csv(mb, p("MSFT-bars"), row.names = FALSE, quote = FALSE)

# RESERVED for evaluation only: never pretraining, tuning or model selection
u <- load1("timeSeries", "USDCHF")
ut <- format(as.POSIXct(format(time(u)), tz = "UTC"), "%Y-%m-%dT%H:%M:%SZ")
write_prices(r("USDCHF"), ut, as.numeric(u))
dj8 <- load1("AER", "DJIA8012")
write_prices(r("DJIA8012"), iso_day(attr(dj8, "index")), as.numeric(dj8))
gs <- load1("AER", "GoldSilver")
write_prices(r("GOLD"), iso_day(attr(gs, "index")), as.numeric(unclass(gs)[, "gold"]))
write_prices(r("SILVER"), iso_day(attr(gs, "index")), as.numeric(unclass(gs)[, "silver"]))
