package io.threadleak.core.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.report.Report;
import io.threadleak.core.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JfrEventsTest {

    private static final Sample SAMPLE = new Sample(0, 0, List.of(), Map.of(), List.of(), 0, -1);

    @Test
    void onThisRuntimeTheEmitterLoadsAndIsQuietWithoutARecording() {
        List<String> warnings = new ArrayList<>();
        JfrEvents events = JfrEvents.create(warnings::add);
        assertNotSame(JfrEvents.NONE, events, "the test JVM has jdk.jfr");
        events.sampled(SAMPLE);
        events.reported(new Report(0, 0, false, new Report.Summary(0, 0, 0, 0, 0), List.of(), List.of(), List.of()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aFailureIsToldOnceAndEmittingStops() {
        int[] calls = new int[1];
        JfrEvents failing = new JfrEvents() {
            @Override
            public void sampled(Sample sample) {
                calls[0]++;
                throw new IllegalStateException("boom");
            }

            @Override
            public void reported(Report report) {
                calls[0]++;
            }
        };
        List<String> warnings = new ArrayList<>();
        JfrEvents guarded = new JfrEvents.Guarded(failing, warnings::add);
        guarded.sampled(SAMPLE);
        guarded.sampled(SAMPLE);
        guarded.reported(null);
        assertEquals(1, calls[0]);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("boom"), warnings.get(0));
    }
}
