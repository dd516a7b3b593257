package io.threadleak.core.testutil;

import io.threadleak.core.proof.ProofJson;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered reports in tests with the agent's own strict JSON reader ({@link ProofJson}): objects become
 * {@code LinkedHashMap}, arrays {@code ArrayList}, numbers {@code Long} (or {@code Double}), plus {@code String},
 * {@code Boolean} and {@code null}; raw control characters, bad escapes, duplicate keys and trailing garbage fail.
 */
public final class Json {

    private Json() {
    }

    public static Object parse(String text) {
        return ProofJson.parse(text);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Object o) {
        if (!(o instanceof Map)) {
            throw new AssertionError("not a JSON object: " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> arr(Object o) {
        if (!(o instanceof List)) {
            throw new AssertionError("not a JSON array: " + o);
        }
        return (List<Object>) o;
    }
}
