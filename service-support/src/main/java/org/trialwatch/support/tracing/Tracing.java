package org.trialwatch.support.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Spans that continue a trace stored or received as a W3C {@code traceparent}: a consumer taking a record, a sender
 * attempting a delivery hours after the event. A span is started only under a valid parent, so with tracing off
 * everywhere (no traceparent is ever written) this costs nothing. With the SDK disabled here but a parent received,
 * the parent is made current without a span of ours, so what this service writes on still joins the trace.
 */
@ApplicationScoped
public class Tracing {

    private final Tracer tracer;
    private final boolean enabled;

    public Tracing(OpenTelemetry openTelemetry,
                   @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean sdkDisabled) {
        this.tracer = openTelemetry.getTracer("org.trialwatch");
        this.enabled = !sdkDisabled;
    }

    /** Starts {@code name} of {@code kind} as a child of {@code traceparent} and makes it current until closed. */
    public Traced start(String name, SpanKind kind, String traceparent) {
        return begin(name, kind, traceparent, true);
    }

    /**
     * Starts {@code name} of {@code kind} as a child of {@code traceparent} without making it current (for records of a
     * batch, each with its own trace); {@link Traced#traceparent()} is what to store or send on.
     */
    public Traced begin(String name, SpanKind kind, String traceparent) {
        return begin(name, kind, traceparent, false);
    }

    private Traced begin(String name, SpanKind kind, String traceparent, boolean current) {
        Context parent = TraceParent.parentOf(traceparent);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return Traced.NONE;
        }
        if (!enabled) {
            return new Traced(null, current ? parent.makeCurrent() : null, traceparent);
        }
        Span span = tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
        return new Traced(span, current ? span.makeCurrent() : null, TraceParent.of(parent.with(span)));
    }

    /** A started span (or none), current until closed. */
    public static final class Traced implements AutoCloseable {

        static final Traced NONE = new Traced(null, null, null);

        private final Span span;
        private final Scope scope;
        private final String traceparent;

        Traced(Span span, Scope scope, String traceparent) {
            this.span = span;
            this.scope = scope;
            this.traceparent = traceparent;
        }

        /** The traceparent to store or send on: this span's, the received one when tracing is off here, or null. */
        public String traceparent() {
            return traceparent;
        }

        public Traced attribute(String key, String value) {
            if (span != null && value != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        public Traced attribute(String key, long value) {
            if (span != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        public void failed(String description) {
            if (span != null) {
                span.setStatus(StatusCode.ERROR, description);
            }
        }

        @Override
        public void close() {
            if (scope != null) {
                scope.close();
            }
            if (span != null) {
                span.end();
            }
        }
    }
}
