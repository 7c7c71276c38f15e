package org.trialwatch.support.messaging;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Sorts a consumer's failure into poison or transient by looking through its cause chain. Transient: PostgreSQL
 * SQLState classes 08 (connection), 53 (insufficient resources), 57 (operator intervention: shutdown, statement
 * cancelled), 40 (serialization failure, deadlock) and 55P03 (lock not available); the JDBC transient/recoverable
 * exceptions; Kafka's {@link RetriableException}; socket errors; and timeouts of any kind (connection acquisition,
 * transaction, request), which Agroal and Narayana report without an SQLState, only in their messages.
 */
public final class FailureClassifier {

    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "53", "57", "40");
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("55P03");
    private static final int MAX_DEPTH = 32;

    private FailureClassifier() {
    }

    public static FailureKind classify(Throwable failure) {
        if (poisonIn(failure) != null) {
            return FailureKind.POISON;
        }
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH && seen.put(t, Boolean.TRUE) == null;
                t = t.getCause(), depth++) {
            if (isTransient(t)) {
                return FailureKind.TRANSIENT;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isTransient(suppressed)) {
                    return FailureKind.TRANSIENT;
                }
            }
        }
        return FailureKind.UNCLASSIFIED;
    }

    /** The poison exception in the cause chain, or null when there is none. */
    public static PoisonRecordException poisonIn(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH && seen.put(t, Boolean.TRUE) == null;
                t = t.getCause(), depth++) {
            if (t instanceof PoisonRecordException poison) {
                return poison;
            }
        }
        return null;
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof SQLException sql && transientSqlState(sql.getSQLState())) {
            return true;
        }
        if (t instanceof RetriableException) {
            return true;
        }
        if (t instanceof TimeoutException || t instanceof SocketTimeoutException || t instanceof ConnectException
                || t instanceof SocketException) {
            return true;
        }
        String message = t.getMessage();
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("timeout") || m.contains("timed out");
    }

    static boolean transientSqlState(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        return TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2)) || TRANSIENT_SQL_STATES.contains(state);
    }
}
