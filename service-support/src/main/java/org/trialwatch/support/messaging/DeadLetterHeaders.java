package org.trialwatch.support.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record: the original record's headers (its CloudEvent attributes), why it was rejected,
 * and where it came from, under the names SmallRye's dead-letter-queue failure strategy uses.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetterHeaders() {
    }

    public static Headers of(ConsumerRecord<?, ?> record, String reason, String cause) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        add(headers, REASON, reason);
        add(headers, CAUSE, cause);
        add(headers, TOPIC, record.topic());
        add(headers, PARTITION, Integer.toString(record.partition()));
        add(headers, OFFSET, Long.toString(record.offset()));
        return headers;
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
