package org.trialwatch.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedItemTest {

    @Test
    void aStatusChangeSaysWhichTrialMovedFromWhatToWhatAndWhy() {
        FeedItem item = FeedItem.of("trial.status_changed", """
                {"type":"trial.status_changed","data":{"nctId":"NCT05379985","previousStatus":"RECRUITING",
                 "newStatus":"TERMINATED","effectiveDate":"2026-11-25","reason":"Sponsor decision","origin":"CURATOR",
                 "correction":false,"occurredAt":"2026-12-01T14:51:52Z"}}""");

        assertThat(item.headline()).isEqualTo("NCT05379985: RECRUITING → TERMINATED");
        assertThat(item.detail()).contains("reason: Sponsor decision").contains("origin: CURATOR");
        assertThat(item.href()).isEqualTo("/trials/NCT05379985");
        assertThat(item.nctId()).isEqualTo("NCT05379985");
        assertThat(item.at()).isEqualTo("2026-12-01T14:51:52Z");
    }

    @Test
    void aSummaryUpdateLinksToTheGroupAndListsWhatChanged() {
        FeedItem item = FeedItem.of("evidence.summary_updated", """
                {"data":{"groupKey":"PC.any-line.targeted.KRAS","causeNctId":"NCT05379985",
                 "changes":[{"field":"trackedByStatus.RECRUITING","from":2,"to":1,"description":"tracked RECRUITING 2→1"}]}}""");

        assertThat(item.href()).isEqualTo("/summaries/PC.any-line.targeted.KRAS");
        assertThat(item.groupKey()).isEqualTo("PC.any-line.targeted.KRAS");
        assertThat(item.detail()).isEqualTo("tracked RECRUITING 2→1");
    }

    @Test
    void aTrialWithoutAVerifiedStatusReadsNotVerified() {
        FeedItem item = FeedItem.of("trial.status_changed",
                "{\"data\":{\"nctId\":\"NCT05093231\",\"previousStatus\":null,\"newStatus\":\"RECRUITING\"}}");

        assertThat(item.headline()).isEqualTo("NCT05093231: not verified → RECRUITING");
    }
}
