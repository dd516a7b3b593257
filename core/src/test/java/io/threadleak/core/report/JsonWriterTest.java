package io.threadleak.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    private static String write(String value) {
        return new JsonWriter().value(value).toString();
    }

    @Test
    void brokenSurrogatePairsAreEscapedSoTheReportCanBeEncoded() {
        String out = write("order-\uD83D");
        assertEquals("\"order-\\ud83d\"", out);
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(out));
        assertEquals("\"\\udc00x\"", write("\uDC00x"));
    }

    @Test
    void wholeSurrogatePairsAreKept() {
        assertEquals("\"order-\uD83D\uDE00\"", write("order-\uD83D\uDE00"));
    }
}
