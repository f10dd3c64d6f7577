package io.tickgrad.tabular;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The modeldata credit_data table shipped as a test resource (see README.md beside it). */
final class CreditData {
    private CreditData() {
    }

    static Path path() {
        try {
            return Path.of(CreditData.class.getResource("credit_data.csv").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CsvTable table() {
        return CsvTable.read(path());
    }

    /** The rows whose {@code column} satisfies {@code keep}. */
    static CsvTable where(CsvTable t, String column, Predicate<String> keep) {
        int c = t.requireColumn(column, "filter");
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            if (keep.test(t.cell(r, c))) {
                rows.add(r);
            }
        }
        return t.selectRows(rows.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Every {@code k}-th row from {@code offset} (a deterministic subset). */
    static CsvTable everyKth(CsvTable t, int k, int offset, boolean keep) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            if ((r % k == offset) == keep) {
                rows.add(r);
            }
        }
        return t.selectRows(rows.stream().mapToInt(Integer::intValue).toArray());
    }
}
