package io.tickgrad.tabular;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Problems that a policy tolerated (an unknown category under {@link UnknownCategoryPolicy#IGNORE}): all are
 * counted, the first {@value #KEPT} messages are kept, each naming the line and the column.
 */
public final class TableWarnings {
    /** How many messages are kept; the rest are only counted. */
    public static final int KEPT = 20;
    private final List<String> messages = new ArrayList<>();
    private long count;

    void add(String source, int line, String column, String problem) {
        count++;
        if (messages.size() < KEPT) {
            messages.add(TabularDataException.format(source, line, column, problem));
        }
    }

    /**
     * Every warning counted, kept or not.
     *
     * @return the count
     */
    public long count() {
        return count;
    }

    /**
     * The first {@value #KEPT} messages.
     *
     * @return an unmodifiable list
     */
    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }
}
