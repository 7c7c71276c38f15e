package org.trialwatch.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void aPoisonRecordAnywhereInTheChainIsPoison() {
        PoisonRecordException poison = new PoisonRecordException("malformed", "not JSON");
        assertThat(FailureClassifier.classify(new IllegalStateException("wrapped", poison))).isEqualTo(FailureKind.POISON);
        assertThat(FailureClassifier.poisonIn(new RuntimeException(new RuntimeException(poison)))).isSameAs(poison);
    }

    @Test
    void connectionResourceOperatorAndConcurrencySqlStatesAreTransient() {
        for (String state : new String[] {"08001", "08006", "53300", "57P01", "57014", "40001", "40P01", "55P03"}) {
            assertThat(FailureClassifier.classify(new RuntimeException("store failed", new SQLException("x", state))))
                    .as(state).isEqualTo(FailureKind.TRANSIENT);
        }
    }

    @Test
    void constraintAndSyntaxSqlStatesAreNotTransient() {
        for (String state : new String[] {"23505", "42P01", "22007", "55000"}) {
            assertThat(FailureClassifier.classify(new SQLException("x", state))).as(state)
                    .isEqualTo(FailureKind.UNCLASSIFIED);
        }
    }

    @Test
    void poolAcquisitionAndTransactionTimeoutsAreTransientThoughTheyCarryNoSqlState() {
        assertThat(FailureClassifier.classify(new SQLException("Acquisition timeout while waiting for new connection")))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new IllegalStateException("ARJUNA: transaction rolled back",
                new RuntimeException("Transaction timed out")))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new SQLTransientConnectionException("pool exhausted")))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void retriableKafkaErrorsAndRefusedConnectionsAreTransientOtherKafkaErrorsAreNot() {
        assertThat(FailureClassifier.classify(new RuntimeException(new NotLeaderOrFollowerException("moved"))))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new UncheckedIOException(new ConnectException("refused"))))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new RecordTooLargeException("too big"))).isEqualTo(FailureKind.UNCLASSIFIED);
    }

    @Test
    void aBugIsUnclassifiedAndACyclicCauseChainEnds() {
        assertThat(FailureClassifier.classify(new NullPointerException())).isEqualTo(FailureKind.UNCLASSIFIED);
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(FailureClassifier.classify(a)).isEqualTo(FailureKind.UNCLASSIFIED);
    }
}
