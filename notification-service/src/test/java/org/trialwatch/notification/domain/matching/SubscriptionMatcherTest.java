package org.trialwatch.notification.domain.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriptionMatcherTest {

    private static final EventFacts TERMINATED = new EventFacts("trial.status-changed", "NCT05379985", List.of("PC"),
            "KRAS G12D inhibitor", "targeted", "RECRUITING", "TERMINATED", null);

    private static SubscriptionFilter filter(List<String> ncts, List<String> tumours, List<String> mechanisms,
                                             List<String> classes, List<String> types, List<String> transitions,
                                             List<String> groups) {
        return new SubscriptionFilter(ncts, tumours, mechanisms, classes, types, transitions, groups);
    }

    @Test
    void emptyFilterMatchesEveryEvent() {
        assertThat(SubscriptionMatcher.matches(SubscriptionFilter.everything(), TERMINATED)).isTrue();
        assertThat(SubscriptionFilter.everything().specificDimensions()).isZero();
    }

    @Test
    void nctFilterMatchesOnlyItsTrials() {
        assertThat(SubscriptionMatcher.matches(filter(List.of("nct05379985"), null, null, null, null, null, null),
                TERMINATED)).isTrue();
        assertThat(SubscriptionMatcher.matches(filter(List.of("NCT05737706"), null, null, null, null, null, null),
                TERMINATED)).isFalse();
    }

    @Test
    void transitionToTerminatedMatchesAnyPreviousStatus() {
        SubscriptionFilter toTerminated = filter(null, null, null, null, null, List.of("→TERMINATED"), null);
        assertThat(SubscriptionMatcher.matches(toTerminated, TERMINATED)).isTrue();
        EventFacts completed = new EventFacts("trial.status-changed", "NCT05379985", List.of(), null, null,
                "ACTIVE_NOT_RECRUITING", "COMPLETED", null);
        assertThat(SubscriptionMatcher.matches(toTerminated, completed)).isFalse();
    }

    @Test
    void exactTransitionNeedsBothSides() {
        assertThat(SubscriptionMatcher.matches(filter(null, null, null, null, null, List.of("RECRUITING->TERMINATED"),
                null), TERMINATED)).isTrue();
        assertThat(SubscriptionMatcher.matches(filter(null, null, null, null, null, List.of("SUSPENDED->TERMINATED"),
                null), TERMINATED)).isFalse();
        assertThat(SubscriptionMatcher.matches(filter(null, null, null, null, null, List.of("RECRUITING->"),
                null), TERMINATED)).isTrue();
    }

    @Test
    void transitionFilterDoesNotMatchEventsWithoutAStatusChange() {
        EventFacts updated = new EventFacts("trial.updated", "NCT05379985", List.of("PC"), null, null, null, null, null);
        assertThat(SubscriptionMatcher.matches(filter(null, null, null, null, null, List.of("->TERMINATED"), null),
                updated)).isFalse();
    }

    @Test
    void targetMatchesAnyRunOfWordsOfTheMechanism() {
        for (String target : List.of("KRAS", "kras g12d", "G12D-inhibitor", "KRAS G12D inhibitor")) {
            assertThat(SubscriptionMatcher.matches(filter(null, null, List.of(target), null, null, null, null),
                    TERMINATED)).as(target).isTrue();
        }
        assertThat(SubscriptionMatcher.matches(filter(null, null, List.of("KRAS inhibitor"), null, null, null, null),
                TERMINATED)).isFalse();
        assertThat(SubscriptionMatcher.matches(filter(null, null, List.of("FGFR2"), null, null, null, null),
                TERMINATED)).isFalse();
    }

    @Test
    void targetsWithPunctuationMatchTheReviewsMechanismText() {
        EventFacts combo = new EventFacts("trial.status-changed", "NCT04306367", List.of("BTC"),
                "IDH1 inhibition + PD-1 + CTLA-4 blockade", "targeted+immunotherapy", "RECRUITING", "COMPLETED", null);
        for (String target : List.of("PD-1", "pd 1", "CTLA-4", "IDH1")) {
            assertThat(SubscriptionMatcher.matches(filter(null, null, List.of(target), null, null, null, null), combo))
                    .as(target).isTrue();
        }
        assertThat(SubscriptionMatcher.matches(filter(null, null, List.of("PD-L1"), null, null, null, null), combo))
                .isFalse();
    }

    @Test
    void longMechanismsIndexBoundedRunsOfWords() {
        String longText = "chemotherapy plus VEGFR multikinase TKI plus PD 1 blockade in the adjuvant setting after surgery";
        assertThat(FilterValues.mechanismKeys(longText)).allMatch(k -> k.split(" ").length <= 6)
                .contains("VEGFR MULTIKINASE TKI", "ADJUVANT");
    }

    @Test
    void everyNonEmptyFieldMustMatch() {
        SubscriptionFilter pcTargeted = filter(null, List.of("PC"), null, List.of("Targeted"),
                List.of("org.trialwatch.trial.status-changed.v1"), null, null);
        assertThat(SubscriptionMatcher.matches(pcTargeted, TERMINATED)).isTrue();
        SubscriptionFilter btcTargeted = filter(null, List.of("BTC"), null, List.of("targeted"), null, null, null);
        assertThat(SubscriptionMatcher.matches(btcTargeted, TERMINATED)).isFalse();
    }

    @Test
    void unknownTrialFactsDoNotMatchAFilterOnThem() {
        EventFacts unknownTrial = new EventFacts("trial.status-changed", "NCT09999999", List.of(), null, null,
                null, "RECRUITING", null);
        assertThat(SubscriptionMatcher.matches(filter(null, List.of("PC"), null, null, null, null, null),
                unknownTrial)).isFalse();
        assertThat(SubscriptionMatcher.matches(filter(null, null, null, null, null, List.of("NONE->RECRUITING"), null),
                unknownTrial)).isTrue();
    }

    @Test
    void evidenceGroupFilterMatchesOnlyThatGroupsSummaries() {
        EventFacts summary = new EventFacts("evidence.summary-updated", "NCT05379985", List.of("PC"), null, null,
                null, null, "PC|advanced|targeted|KRAS");
        SubscriptionFilter group = filter(null, null, null, null, null, null, List.of("PC|advanced|targeted|KRAS"));
        assertThat(SubscriptionMatcher.matches(group, summary)).isTrue();
        assertThat(SubscriptionMatcher.matches(group, TERMINATED)).isFalse();
    }

    @Test
    void indexEntriesAreCanonicalAndDeduplicated() {
        SubscriptionFilter f = filter(List.of("nct05379985", "NCT05379985 "), null, List.of("KRAS-G12D"), null, null,
                List.of("*->TERMINATED", "->terminated"), null);
        assertThat(f.indexEntries().get(Dimension.NCT_ID)).containsExactly("NCT05379985");
        assertThat(f.indexEntries().get(Dimension.MECHANISM)).containsExactly("KRAS G12D");
        assertThat(f.indexEntries().get(Dimension.STATUS_TRANSITION)).containsExactly("*->TERMINATED");
        assertThat(f.specificDimensions()).isEqualTo(3);
    }
}
