package org.trialwatch.system.faults;

/**
 * One injected fault, from the moment it was injected until the system had recovered from it (the service ready
 * again, the connection restored). {@code outcome} is "recovered" or what went wrong. {@code ofTheSystem}: the
 * fault hit the services, broker or database (not just one webhook endpoint); latency inside and outside fault
 * windows is split by these.
 */
record FaultWindow(String fault, long startNanos, long endNanos, String outcome, boolean ofTheSystem) {

    boolean contains(long nanos) {
        return nanos >= startNanos && nanos <= endNanos;
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }
}
