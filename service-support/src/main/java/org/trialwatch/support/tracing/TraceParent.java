package org.trialwatch.support.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C {@code traceparent} of a trace that crosses a store-and-forward hop (the outbox, a delivery row): taken
 * from the current span when the row is written, and turned back into a parent context when the row is sent, so that
 * the next span joins the trace of the request that caused it rather than the trace of the poll that sent it.
 * With tracing off there is no valid current span: nothing is stored and nothing is sent.
 */
public final class TraceParent {

    /** The W3C header and column name. */
    public static final String HEADER = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<String> SINGLE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceParent() {
    }

    /** The current span's traceparent, or null when no span is being recorded (tracing off, or outside a trace). */
    public static String current() {
        return of(Context.current());
    }

    /** The traceparent of the span in {@code context}, or null when it holds no valid span. */
    public static String of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(context, carrier, Map::put);
        return carrier.get(HEADER);
    }

    /** The context whose remote parent is {@code traceparent}; the root context when it is null or malformed. */
    public static Context parentOf(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), traceparent, SINGLE);
    }

    /** Whether {@code traceparent} names a valid span. */
    public static boolean isValid(String traceparent) {
        return Span.fromContext(parentOf(traceparent)).getSpanContext().isValid();
    }
}
