package org.trialwatch.evidence.application;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.quarkus.runtime.StartupEvent;

import org.jboss.logging.Logger;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.catalog.SourceKind;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.grouping.Membership;
import org.trialwatch.evidence.persistence.EvidenceStore;

/**
 * Seeds the review's evidence at start-up, idempotently: rows already stored as they are stay untouched, memberships
 * are rewritten to what the classifier says, and a summary gets a new version only if what it says changed. Several
 * instances starting together serialise on an advisory lock.
 */
@ApplicationScoped
public class EvidenceSeeder {

    private static final Logger LOG = Logger.getLogger(EvidenceSeeder.class);
    /** Arbitrary, fixed: the advisory lock that serialises seeding across instances. */
    private static final long SEED_LOCK = 0x7472_6961_6c77_0001L;

    private final EvidenceCatalog catalog;
    private final GroupClassifier classifier;
    private final EvidenceStore store;
    private final SummaryRecorder recorder;
    private final javax.sql.DataSource ds;
    private final AtomicBoolean seeded = new AtomicBoolean();

    public EvidenceSeeder(EvidenceCatalog catalog, GroupClassifier classifier, EvidenceStore store,
                          SummaryRecorder recorder, javax.sql.DataSource ds) {
        this.catalog = catalog;
        this.classifier = classifier;
        this.store = store;
        this.recorder = recorder;
        this.ds = ds;
    }

    void onStart(@Observes StartupEvent event) {
        seed();
    }

    /** The result of one seeding run. */
    public record Report(int rowsWritten, int memberships, int groups, List<String> groupsVersioned) {
    }

    @Transactional
    public Report seed() {
        lock();
        Instant now = Instant.now();
        int written = store.upsert(catalog.rows(), now);
        Map<String, List<Membership>> byRow = new LinkedHashMap<>();
        TreeSet<String> groups = new TreeSet<>();
        int memberships = 0;
        for (EvidenceRow row : catalog.rows()) {
            List<Membership> ms = classifier.classify(row);
            if (!ms.isEmpty()) {
                byRow.put(row.id(), ms);
                ms.forEach(m -> groups.add(m.key().text()));
                memberships += ms.size();
            }
        }
        store.replaceRowMemberships(byRow);
        List<String> versioned = recorder.recompute(groups, SummaryRecorder.Cause.seed(), now);
        seeded.set(true);
        LOG.infof("evidence seed: %d table rows, %d text figures, %d NCT mentions; %d rows written, %d memberships in "
                        + "%d groups, %d summaries versioned", catalog.count(SourceKind.TABLE),
                catalog.count(SourceKind.TEXT_FIGURE), catalog.count(SourceKind.NCT_MENTION), written, memberships,
                groups.size(), versioned.size());
        return new Report(written, memberships, groups.size(), versioned);
    }

    public boolean isSeeded() {
        return seeded.get();
    }

    private void lock() {
        try (var c = ds.getConnection(); var ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, SEED_LOCK);
            ps.execute();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot take the seed lock", e);
        }
    }
}
