package io.tickgrad.market;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A series of trades in time order (epoch seconds, price, size), held in primitive arrays.
 */
public final class Trades {
    /** The bundled default data: 100,000 Bitstamp BTC/USD trades, 2013-11-25 to 2013-12-01 (ta4j-examples 0.18, MIT). */
    public static final String BITSTAMP_RESOURCE = "bitstamp_trades_from_20131125_usd.csv";

    private final long[] epochSeconds;
    private final double[] prices;
    private final double[] sizes;

    /**
     * A series over the given arrays (kept, not copied), in time order.
     *
     * @param epochSeconds trade times, epoch seconds
     * @param prices       trade prices
     * @param sizes        trade sizes, same length
     * @throws IllegalArgumentException when the lengths differ
     */
    public Trades(long[] epochSeconds, double[] prices, double[] sizes) {
        if (epochSeconds.length != prices.length || prices.length != sizes.length) {
            throw new IllegalArgumentException("times, prices and sizes need the same length");
        }
        this.epochSeconds = epochSeconds;
        this.prices = prices;
        this.sizes = sizes;
    }

    /**
     * Loads the bundled Bitstamp trades from the classpath (the ta4j-examples jar, fetched by Maven).
     *
     * @return the trades
     * @throws IllegalStateException when the resource is not on the classpath
     */
    public static Trades bundledBitstamp() {
        InputStream in = Trades.class.getClassLoader().getResourceAsStream(BITSTAMP_RESOURCE);
        if (in == null) {
            throw new IllegalStateException(BITSTAMP_RESOURCE + " is not on the classpath: it comes with "
                + "org.ta4j:ta4j-examples:0.18, a dependency of tickgrad");
        }
        return readCsv(in, BITSTAMP_RESOURCE);
    }

    /**
     * Reads {@code timestamp,price,amount} rows after a header (the ta4j trades format). A malformed row is refused
     * with its line number.
     *
     * @param stream the CSV bytes, UTF-8; read to the end, not closed
     * @param source the file name, for messages
     * @return the trades
     * @throws IllegalArgumentException naming the source and line of a malformed row
     */
    public static Trades readCsv(InputStream stream, String source) {
        long[] t = new long[1 << 16];
        double[] p = new double[1 << 16];
        double[] s = new double[1 << 16];
        int n = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line = in.readLine();
            int lineNo = 1;
            if (line == null || !line.toLowerCase(java.util.Locale.ROOT).startsWith("timestamp")) {
                throw new IllegalArgumentException(source + ": line 1: expected the header timestamp,price,amount");
            }
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (cells.length < 3) {
                    throw new IllegalArgumentException(source + ": line " + lineNo + ": expected 3 columns, found "
                        + cells.length);
                }
                if (n == t.length) {
                    t = Arrays.copyOf(t, n * 2);
                    p = Arrays.copyOf(p, n * 2);
                    s = Arrays.copyOf(s, n * 2);
                }
                try {
                    t[n] = Long.parseLong(cells[0].trim());
                    p[n] = Double.parseDouble(cells[1].trim());
                    s[n] = Double.parseDouble(cells[2].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": line " + lineNo + ": expected numbers, found '"
                        + line + "'");
                }
                if (!(p[n] > 0) || !Double.isFinite(p[n])) {
                    throw new IllegalArgumentException(source + ": line " + lineNo + ", column price: expected a "
                        + "positive price, found " + cells[1]);
                }
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        return new Trades(Arrays.copyOf(t, n), Arrays.copyOf(p, n), Arrays.copyOf(s, n));
    }

    /**
     * The number of trades.
     *
     * @return the count
     */
    public int size() {
        return prices.length;
    }

    /**
     * A trade's time.
     *
     * @param i the index, from 0
     * @return epoch seconds
     */
    public long time(int i) {
        return epochSeconds[i];
    }

    /**
     * A trade's price.
     *
     * @param i the index, from 0
     * @return the price
     */
    public double price(int i) {
        return prices[i];
    }

    /**
     * A trade's size.
     *
     * @param i the index, from 0
     * @return the size
     */
    public double size(int i) {
        return sizes[i];
    }

    /**
     * The backing price array (not a copy).
     *
     * @return the prices, in time order
     */
    public double[] prices() {
        return prices;
    }

    /**
     * Index of the first trade at or after {@code epochSecond}.
     *
     * @param epochSecond the time, epoch seconds
     * @return the index, or {@link #size()} when every trade is earlier
     */
    public int indexAtOrAfter(long epochSecond) {
        int lo = 0;
        int hi = epochSeconds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (epochSeconds[mid] < epochSecond) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
