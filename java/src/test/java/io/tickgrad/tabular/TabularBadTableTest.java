package io.tickgrad.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every bad-table policy, with messages that name the line and the column. */
class TabularBadTableTest {
    private static final String HEADER = "income,color,note,y\n";
    private static Backend backend;

    @BeforeAll
    static void setUp() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void tearDown() throws Exception {
        backend.close();
    }

    /** 200 rows: y depends on income and color; note is free text (ignored). */
    private static String goodTable() {
        StringBuilder sb = new StringBuilder(HEADER);
        SplittableRandom r = new SplittableRandom(3);
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < 200; i++) {
            double income = r.nextGaussian() * 10 + 50;
            String color = colors[r.nextInt(3)];
            boolean y = income + (color.equals("red") ? 8 : 0) + r.nextGaussian() * 5 > 55;
            sb.append(String.format(Locale.ROOT, "%.2f,%s,\"n %d, ok\",%s\n", income, color, i, y ? "yes" : "no"));
        }
        return sb.toString();
    }

    private static TabularFitOptions quick(UnknownCategoryPolicy policy) {
        return TabularFitOptions.defaults().logisticRegression().withEpochs(5)
            .withColumns(ColumnOptions.defaults().withIgnored(Set.of("note")).withUnknownPolicy(policy));
    }

    private static TabularDataException refusal(Runnable r) {
        return assertThrows(TabularDataException.class, r::run);
    }

    @Test
    void shouldIgnoreAnUnknownCategoryWithAWarningNamingLineAndColumn() {
        CsvTable train = CsvTable.parse("train.csv", goodTable());
        try (TabularModel m = TabularFitter.fit(train, "y", null, quick(UnknownCategoryPolicy.IGNORE), backend).model()) {
            assertEquals("yes", m.preprocessor().label().positive());
            CsvTable later = CsvTable.parse("later.csv", HEADER + "50,red,a,yes\n50,purple,b,no\n");
            TableWarnings w = new TableWarnings();
            float[] p = m.score(later, w);
            assertEquals(2, p.length);
            assertEquals(1, w.count());
            String msg = w.messages().get(0);
            assertTrue(msg.startsWith("later.csv: line 3, column 'color': unknown category 'purple'"), msg);
        }
    }

    @Test
    void shouldRefuseAnUnknownCategoryUnderTheErrorPolicy() {
        CsvTable train = CsvTable.parse("train.csv", goodTable());
        try (TabularModel m = TabularFitter.fit(train, "y", null, quick(UnknownCategoryPolicy.ERROR), backend).model()) {
            CsvTable later = CsvTable.parse("later.csv", HEADER + "50,red,a,yes\n50,purple,b,no\n");
            TabularDataException e = refusal(() -> m.score(later, new TableWarnings()));
            assertEquals(3, e.line());
            assertEquals("color", e.column());
            assertTrue(e.getMessage().contains("unknown category 'purple'"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAMissingLabelColumnListingTheColumns() {
        CsvTable t = CsvTable.parse("t.csv", goodTable());
        TabularDataException e = refusal(() -> TabularFitter.fit(t, "default", null, quick(UnknownCategoryPolicy.IGNORE),
            backend));
        assertEquals("t.csv: column 'default': no such label column in the header; the columns are "
            + "[income, color, note, y]", e.getMessage());
    }

    @Test
    void shouldRefuseAConstantLabel() {
        CsvTable t = CsvTable.parse("t.csv", HEADER + "1,red,a,no\n2,blue,b,no\n3,red,c,no\n");
        TabularDataException e = refusal(() -> TabularFitter.fit(t, "y", null, quick(UnknownCategoryPolicy.IGNORE),
            backend));
        assertEquals("y", e.column());
        assertTrue(e.getMessage().contains("the label is constant: every one of the 3 rows is 'no'"), e.getMessage());
    }

    @Test
    void shouldRefuseAMissingLabelCellNamingItsLine() {
        CsvTable t = CsvTable.parse("t.csv", HEADER + "1,red,a,no\n2,blue,b,\n3,red,c,yes\n");
        TabularDataException e = refusal(() -> LabelColumn.fit(t, "y", null));
        assertEquals("t.csv: line 3, column 'y': the label is missing; every training row needs one (drop the row or "
            + "fill the label)", e.getMessage());
    }

    @Test
    void shouldRefuseTextInAMostlyNumericColumnAtFitTime() {
        String table = goodTable();
        String[] lines = table.split("\n");
        lines[5] = lines[5].replaceFirst("^[^,]*", "n/k");   // line 6 of the file
        CsvTable t = CsvTable.parse("t.csv", String.join("\n", lines));
        TabularDataException e = refusal(() -> TabularFitter.fit(t, "y", null, quick(UnknownCategoryPolicy.IGNORE),
            backend));
        assertEquals(6, e.line());
        assertEquals("income", e.column());
        assertTrue(e.getMessage().contains("expected a number, found 'n/k'"), e.getMessage());
    }

    @Test
    void shouldRefuseTextInANumericColumnAtPredictTimeAndImputeMissing() {
        CsvTable train = CsvTable.parse("train.csv", goodTable());
        try (TabularModel m = TabularFitter.fit(train, "y", null, quick(UnknownCategoryPolicy.IGNORE), backend).model()) {
            CsvTable bad = CsvTable.parse("later.csv", HEADER + "50,red,a,yes\n\n12k,red,b,no\n");
            TabularDataException e = refusal(() -> m.score(bad, new TableWarnings()));
            assertEquals("later.csv: line 4, column 'income': expected a number, found '12k' (the column is numeric; "
                + "mark a missing value as empty or NA, or declare the column categorical)", e.getMessage());
            CsvTable missing = CsvTable.parse("later.csv", HEADER + "NA,red,a,yes\n,blue,b,no\n");
            float[] p = m.score(missing, new TableWarnings());
            assertTrue(Float.isFinite(p[0]) && Float.isFinite(p[1]), "missing numbers are imputed");
        }
    }

    @Test
    void shouldRefuseADeclaredNumericColumnWithText() {
        CsvTable t = CsvTable.parse("t.csv", HEADER + "1,red,a,no\n2,blue,b,yes\n");
        TabularFitOptions o = quick(UnknownCategoryPolicy.IGNORE).withColumns(new ColumnOptions(
            Map.of("color", ColumnKind.NUMERIC), Set.of("note"), UnknownCategoryPolicy.IGNORE));
        TabularDataException e = refusal(() -> TabularFitter.fit(t, "y", null, o, backend));
        assertEquals(2, e.line());
        assertEquals("color", e.column());
    }

    @Test
    void shouldRefuseARaggedRowNamingItsLine() {
        TabularDataException e = refusal(() -> CsvTable.parse("r.csv", HEADER + "1,red,a,no\n2,blue,no\n"));
        assertEquals("r.csv: line 3: has 3 fields, the header (line 1) has 4; ragged rows are refused (quote fields "
            + "that contain commas)", e.getMessage());
    }

    @Test
    void shouldRefuseAFeatureColumnMissingAtPredictTime() {
        CsvTable train = CsvTable.parse("train.csv", goodTable());
        try (TabularModel m = TabularFitter.fit(train, "y", null, quick(UnknownCategoryPolicy.IGNORE), backend).model()) {
            CsvTable later = CsvTable.parse("later.csv", "income,y\n50,yes\n");
            TabularDataException e = refusal(() -> m.score(later, new TableWarnings()));
            assertEquals("color", e.column());
            assertTrue(e.getMessage().contains("no such column in the header"), e.getMessage());
            // the label is not needed to predict, and columns may come in any order
            CsvTable reordered = CsvTable.parse("later.csv", "color,income\nred,50\n");
            assertEquals(1, m.score(reordered, new TableWarnings()).length);
        }
    }

    @Test
    void shouldReadQuotedFieldsCrlfAndLineBreaksInsideQuotes() {
        CsvTable t = CsvTable.parse("q.csv", "\uFEFFa,b\r\n\"x, \"\"y\"\"\",2\r\n\"two\nlines\",3\r\n  \r\n4,5");
        assertEquals(3, t.rowCount());
        assertEquals("x, \"y\"", t.cell(0, 0));
        assertEquals("two\nlines", t.cell(1, 0));
        assertEquals(3, t.line(1));
        assertEquals(6, t.line(2), "the line count goes on after a line break inside quotes and a blank line");
        TabularDataException e = refusal(() -> CsvTable.parse("q.csv", "a,b\n1,2\n\"open,3\n"));
        assertEquals("q.csv: line 3: a quoted field opens here and is never closed", e.getMessage());
        TabularDataException dup = refusal(() -> CsvTable.parse("q.csv", "a,a\n1,2\n"));
        assertEquals("a", dup.column());
    }
}
