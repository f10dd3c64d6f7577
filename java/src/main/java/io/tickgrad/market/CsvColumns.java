package io.tickgrad.market;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which CSV columns hold a tick, and so which shape the ticks take: bars (open, high, low, close, optional volume),
 * quotes (bid and ask, optional sizes, optional price), trades (price and size) or a bare price series (price
 * alone). Names are header names, matched case-insensitively; null means "not given". Options are named as the
 * command line spells them, so a refusal points at the flag to change.
 *
 * @param time    the time column
 * @param price   the price column (a series or trades; optional mid or last for quotes), or null
 * @param size    the trade size column, or null
 * @param bid     the bid column (quotes), or null
 * @param ask     the ask column (quotes), or null
 * @param bidSize the bid size column, or null
 * @param askSize the ask size column, or null
 * @param open    a bar's open column, or null
 * @param high    a bar's high column, or null
 * @param low     a bar's low column, or null
 * @param close   a bar's close column, or null
 * @param volume  a bar's volume column, or null
 */
public record CsvColumns(String time, String price, String size, String bid, String ask, String bidSize,
                         String askSize, String open, String high, String low, String close, String volume) {
    /** Header names tried, in order, for a time column when none is given. */
    static final List<String> TIME_NAMES = List.of("timestamp", "time", "datetime", "date", "ts", "index");

    /**
     * The shape these columns describe; throws naming the options when they describe none or several.
     *
     * @param time    the time column (required)
     * @param price   the price column: a price series or trades; for quotes an optional mid or last price
     * @param size    the trade size column, or null
     * @param bid     the bid column (quotes, with ask), or null
     * @param ask     the ask column (quotes, with bid), or null
     * @param bidSize the bid size column (quotes), or null
     * @param askSize the ask size column (quotes), or null
     * @param open    a bar's open column (bars need open, high, low and close), or null
     * @param high    a bar's high column, or null
     * @param low     a bar's low column, or null
     * @param close   a bar's close column, or null
     * @param volume  a bar's volume column, optional, or null
     * @throws IllegalArgumentException naming the command-line options to add or drop
     */
    public CsvColumns {
        boolean anyBar = open != null || high != null || low != null || close != null || volume != null;
        if (anyBar) {
            if (open == null || high == null || low == null || close == null) {
                throw new IllegalArgumentException("bars need all four of --open-col, --high-col, --low-col and "
                    + "--close-col (--volume-col is optional); given: " + given(open, high, low, close, volume));
            }
            if (price != null || size != null || bid != null || ask != null || bidSize != null || askSize != null) {
                throw new IllegalArgumentException("bars take --open-col/--high-col/--low-col/--close-col and "
                    + "--volume-col only; drop " + given2(price, size, bid, ask, bidSize, askSize)
                    + " (a bar's price is its close, its size its volume)");
            }
        } else if ((bid == null) != (ask == null)) {
            throw new IllegalArgumentException("quotes need both --bid-col and --ask-col; only "
                + (bid != null ? "--bid-col" : "--ask-col") + " was given");
        } else if (bid == null && (bidSize != null || askSize != null)) {
            throw new IllegalArgumentException("--bid-size-col and --ask-size-col need --bid-col and --ask-col");
        } else if (bid == null && price == null) {
            throw new IllegalArgumentException("no price column: give --price-col (a price series or trades), "
                + "--bid-col and --ask-col (quotes), or --open-col/--high-col/--low-col/--close-col (bars)");
        }
        if (time == null) {
            throw new IllegalArgumentException("no time column: give --time-col");
        }
    }

    /**
     * A price series (no size) or trades (with {@code size}).
     *
     * @param time  the time column
     * @param price the price column
     * @param size  the size column, or null for a bare price series
     * @return the columns
     */
    public static CsvColumns trades(String time, String price, String size) {
        return new CsvColumns(time, price, size, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Quotes; {@code price} (a mid or last, else the mid is computed), {@code size} and the size columns may be null.
     *
     * @param time    the time column
     * @param price   a mid or last price column, or null
     * @param size    a trade size column, or null
     * @param bid     the bid column
     * @param ask     the ask column
     * @param bidSize the bid size column, or null
     * @param askSize the ask size column, or null
     * @return the columns
     */
    public static CsvColumns quotes(String time, String price, String size, String bid, String ask, String bidSize,
                                    String askSize) {
        return new CsvColumns(time, price, size, bid, ask, bidSize, askSize, null, null, null, null, null);
    }

    /**
     * OHLC bars with an optional volume column.
     *
     * @param time   the time column
     * @param open   the open column
     * @param high   the high column
     * @param low    the low column
     * @param close  the close column
     * @param volume the volume column, or null
     * @return the columns
     */
    public static CsvColumns bars(String time, String open, String high, String low, String close, String volume) {
        return new CsvColumns(time, null, null, null, null, null, null, open, high, low, close, volume);
    }

    /**
     * The columns a header offers when the user named none: bars when it has open, high, low and close; quotes
     * when it has bid and ask; else a price column (price, close, mid, last, value, rate, or the one numeric-looking
     * column beside the time), with a size column (size, amount, qty, quantity, volume) when there is one. Returns
     * null when the header says nothing usable.
     *
     * @param header     the header names
     * @param timeColumn the time column the user named, or null to look for timestamp, time, datetime, date, ts, index
     * @return the columns, or null
     */
    public static CsvColumns detect(List<String> header, String timeColumn) {
        String time = timeColumn != null ? timeColumn : find(header, TIME_NAMES);
        if (time == null) {
            return null;
        }
        String open = find(header, List.of("open"));
        String high = find(header, List.of("high"));
        String low = find(header, List.of("low"));
        String close = find(header, List.of("close", "adj close", "adj_close"));
        String volume = find(header, List.of("volume", "vol"));
        if (open != null && high != null && low != null && close != null) {
            return bars(time, open, high, low, close, volume);
        }
        String bid = find(header, List.of("bid", "bid_price", "bidprice", "bid price"));
        String ask = find(header, List.of("ask", "ask_price", "askprice", "ask price", "offer"));
        if (bid != null && ask != null) {
            return quotes(time, null, null, bid, ask,
                find(header, List.of("bid_size", "bidsize", "bid size", "bid_qty", "bidqty")),
                find(header, List.of("ask_size", "asksize", "ask size", "ask_qty", "askqty", "offer_size")));
        }
        String price = find(header, List.of("price", "close", "mid", "last", "value", "rate", "level"));
        if (price == null) {
            List<String> others = new ArrayList<>();
            for (String h : header) {
                if (!h.trim().equalsIgnoreCase(time.trim()) && !h.isBlank()) {
                    others.add(h.trim());
                }
            }
            if (others.size() != 1) {
                return null;
            }
            price = others.get(0);
        }
        return trades(time, price, find(header, List.of("size", "amount", "qty", "quantity", "volume")));
    }

    private static String find(List<String> header, List<String> names) {
        for (String name : names) {
            for (String h : header) {
                if (h.trim().equalsIgnoreCase(name)) {
                    return h.trim();
                }
            }
        }
        return null;
    }

    /**
     * The shape of the ticks these columns make, as a {@link TickKind} name ("bar", "quote", "trade", "price").
     *
     * @return the shape name
     */
    public String shape() {
        if (close != null) {
            return "bar";
        }
        if (bid != null) {
            return size == null ? "quote" : "trade";
        }
        return size == null ? "price" : "trade";
    }

    /**
     * The column options in command-line form, for messages.
     *
     * @return e.g. "--time-col ts --price-col price"
     */
    public String describe() {
        StringBuilder s = new StringBuilder("--time-col ").append(time);
        append(s, "--price-col", price);
        append(s, "--size-col", size);
        append(s, "--bid-col", bid);
        append(s, "--ask-col", ask);
        append(s, "--bid-size-col", bidSize);
        append(s, "--ask-size-col", askSize);
        append(s, "--open-col", open);
        append(s, "--high-col", high);
        append(s, "--low-col", low);
        append(s, "--close-col", close);
        append(s, "--volume-col", volume);
        return s.toString();
    }

    private static void append(StringBuilder s, String option, String value) {
        if (value != null) {
            s.append(' ').append(option).append(' ').append(value.contains(" ") ? "'" + value + "'" : value);
        }
    }

    private static String given(String open, String high, String low, String close, String volume) {
        List<String> g = new ArrayList<>();
        if (open != null) g.add("--open-col");
        if (high != null) g.add("--high-col");
        if (low != null) g.add("--low-col");
        if (close != null) g.add("--close-col");
        if (volume != null) g.add("--volume-col");
        return String.join(", ", g);
    }

    private static String given2(String price, String size, String bid, String ask, String bidSize, String askSize) {
        List<String> g = new ArrayList<>();
        if (price != null) g.add("--price-col");
        if (size != null) g.add("--size-col");
        if (bid != null) g.add("--bid-col");
        if (ask != null) g.add("--ask-col");
        if (bidSize != null) g.add("--bid-size-col");
        if (askSize != null) g.add("--ask-size-col");
        return String.join(", ", g).toLowerCase(Locale.ROOT);
    }
}
