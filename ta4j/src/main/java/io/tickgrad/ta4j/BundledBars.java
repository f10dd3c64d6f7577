package io.tickgrad.ta4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;

/** The bars that the ta4j-examples 0.18 jar bundles, read into ta4j series. */
public final class BundledBars {
    /** The resource name of 252 daily Apple bars from 2013-01-02 (date, open, high, low, close, volume). */
    public static final String APPLE_DAILY = "appleinc_bars_from_20130101_usd.csv";

    private BundledBars() {
    }

    /**
     * The 252 daily bars of Apple Inc. in 2013 (USD), each ending at midnight UTC after its date.
     *
     * @return a new series named "AAPL daily"
     * @throws IllegalStateException when the ta4j-examples jar is not on the classpath
     * @throws IllegalArgumentException when a line is not {@code date,open,high,low,close,volume}
     */
    public static BarSeries appleDaily() {
        BarSeries series = new BaseBarSeriesBuilder().withName("AAPL daily").build();
        try (InputStream in = BundledBars.class.getClassLoader().getResourceAsStream(APPLE_DAILY)) {
            if (in == null) {
                throw new IllegalStateException(APPLE_DAILY + " is not on the classpath (it comes with "
                    + "org.ta4j:ta4j-examples:0.18)");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = reader.readLine();                 // header
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 6) {
                    throw new IllegalArgumentException(APPLE_DAILY + " line " + lineNo + ": expected 6 fields "
                        + "(date,open,high,low,close,volume), found " + f.length);
                }
                ZonedDateTime end = LocalDate.parse(f[0]).plusDays(1).atStartOfDay(ZoneOffset.UTC);
                series.addBar(Duration.ofDays(1), end, new BigDecimal(f[1]), new BigDecimal(f[2]), new BigDecimal(f[3]),
                    new BigDecimal(f[4]), new BigDecimal(f[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + APPLE_DAILY, e);
        }
        return series;
    }
}
