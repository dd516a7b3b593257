package io.threadleak.core.report;

/**
 * Escaping for the HTML report. Thread names, task descriptions and stack frames come from the application
 * and are untrusted: every text goes through {@link #text}, every JSON island through {@link #scriptJson}.
 */
final class Html {

    private Html() {
    }

    /** Text or attribute value: {@code & < > " '} escaped. */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * JSON placed inside {@code <script type="application/json">}: no {@code <} at all (so neither {@code </script>}
     * nor {@code <!--} can change how the element is parsed) and U+2028/U+2029 escaped (they end a line of script).
     * {@code <} only occurs inside JSON strings, where {@code \u003c} means the same.
     */
    static String scriptJson(String json) {
        return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }
}
