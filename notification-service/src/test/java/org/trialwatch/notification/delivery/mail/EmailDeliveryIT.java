package org.trialwatch.notification.delivery.mail;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.Mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class EmailDeliveryIT {

    @Test
    void anEmailSubscriptionReceivesARealSmtpMessage() throws Exception {
        String nct = "NCT90000010";
        String address = "btc-watchers@example.org";
        Api.Created sub = Api.email("team-mail", address, Map.of("nctIds", List.of(nct),
                "statusTransitions", List.of("->TERMINATED")));
        Api.confirm(address);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.TERMINATED));

        await().atMost(Duration.ofSeconds(20)).until(() -> Mailbox.to(address).size() == 2);
        Mailbox.Mail mail = Mailbox.to(address).get(1);
        assertThat(mail.subject()).isEqualTo("TrialWatch: trial.status_changed " + nct);
        assertThat(mail.body()).contains(nct + " changed status: RECRUITING -> TERMINATED");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Api.deliveries("team-mail", sub.id()).getString("deliveries[0].status")).isEqualTo("DELIVERED"));
    }
}
