package org.trialwatch.notification.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.FieldChange;
import org.trialwatch.events.TrialUpdated;

class TrialFactTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void curatedMechanismChangeIsApplied() {
        TrialFact before = new TrialFact("NCT05379985", List.of("PC"), "RAS inhibitor", "targeted", 1);
        TrialUpdated update = new TrialUpdated("e", "NCT05379985", 3, Instant.now(), "/registry", ChangeOrigin.CURATOR,
                List.of(new FieldChange("mechanism", JSON.textNode("RAS inhibitor"), JSON.textNode("RAS(ON) inhibitor")),
                        new FieldChange("acronym", JSON.nullNode(), JSON.textNode("RASolute 302"))));
        TrialFact after = before.apply(update);
        assertThat(after.mechanism()).isEqualTo("RAS(ON) inhibitor");
        assertThat(after.tumourTypes()).containsExactly("PC");
        assertThat(after.sequence()).isEqualTo(3);
    }

    @Test
    void unknownTumourTypesBecomeEmpty() {
        TrialFact before = new TrialFact("NCT05379985", List.of("PC"), null, null, 1);
        TrialUpdated update = new TrialUpdated("e", "NCT05379985", 2, Instant.now(), "/registry", ChangeOrigin.CURATOR,
                List.of(new FieldChange("tumourTypes", JSON.arrayNode().add("PC"), JSON.nullNode())));
        assertThat(before.apply(update).tumourTypes()).isEmpty();
    }
}
