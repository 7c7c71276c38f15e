package org.trialwatch.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String BODY = """
            # HELP trialwatch_events_processed_total Events taken
            # TYPE trialwatch_events_processed_total counter
            trialwatch_events_processed_total{outcome="APPLIED",type="trial.updated"} 3.0 # {span_id="00f067aa0ba902b7",trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 1.0 1764612345.123
            trialwatch_events_processed_total{outcome="DUPLICATE",type="a } b \\" c"} 2.0
            trialwatch_outbox_backlog 7.0
            trialwatch_outbox_backlog_seconds 1.5 1764612345000
            """;

    @Test
    void theValueIsTheTokenAfterTheLabelsNotTheExemplarsValue() {
        assertEquals(5.0, PrometheusText.sum(BODY, "trialwatch_events_processed_total"));
        assertEquals(3.0, PrometheusText.sum(BODY, "trialwatch_events_processed_total", l -> l.contains("APPLIED")));
    }

    @Test
    void aNameIsMatchedWholeNotAsAPrefix() {
        assertEquals(7.0, PrometheusText.first(BODY, "trialwatch_outbox_backlog"));
        assertEquals(1.5, PrometheusText.sum(BODY, "trialwatch_outbox_backlog_seconds"));
        assertEquals(0.0, PrometheusText.sum(BODY, "trialwatch_missing"));
        assertNull(PrometheusText.parse("# TYPE x counter"));
    }
}
