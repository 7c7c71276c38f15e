package org.trialwatch.evidence.messaging;

/** {@link KafkaClients}' sending, for tests in other packages. */
public final class KafkaClientsAccess {

    private KafkaClientsAccess() {
    }

    public static void sendTrialEvent(String ceId, String type, String key, String json) {
        KafkaClients.sendTrialEvent(ceId, type, key, json);
    }
}
