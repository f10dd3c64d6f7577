package io.tickgrad.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvFieldsTest {
    @Test
    void shouldSplitQuotedFieldsWithEscapedQuotesAndEmptyFields() {
        assertEquals(List.of("a", "b,c", "say \"hi\"", "", ""), CsvFields.split("a,\"b,c\",\"say \"\"hi\"\"\",,"));
        assertEquals(List.of(""), CsvFields.split(""));
    }

    @Test
    void shouldTellALineCutInsideQuotesOnlyWhenAskedForACompleteOne() {
        assertEquals(List.of("a", "open, to the end"), CsvFields.split("a,\"open, to the end"));
        assertNull(CsvFields.splitComplete("a,\"open, to the end"));
        assertEquals(List.of("a", "closed"), CsvFields.splitComplete("a,\"closed\""));
    }
}
