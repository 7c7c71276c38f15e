package org.trialwatch.registry.ctgov;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.trialwatch.registry.domain.DuplicateTrialException;
import org.trialwatch.registry.persistence.Trial;
import org.trialwatch.registry.persistence.TrialRows;

/** Tracks a new trial given only its NCT id, filled from its ClinicalTrials.gov record. */
@ApplicationScoped
public class CtgovRegistration {

    private static final Logger LOG = Logger.getLogger(CtgovRegistration.class);

    private final CtgovClient client;
    private final CtgovRecordApplier applier;
    private final Clock clock;
    private final TrialRows rows;

    public CtgovRegistration(CtgovClient client, CtgovRecordApplier applier, Clock clock, TrialRows rows) {
        this.client = client;
        this.applier = applier;
        this.clock = clock;
        this.rows = rows;
    }

    public boolean enabled() {
        return client.enabled();
    }

    public Trial register(String nctId, String curator) {
        if (rows.exists(nctId)) {
            throw new DuplicateTrialException(nctId); // before any call upstream
        }
        JsonNode version = client.get(new CtgovRequest.Version());
        JsonNode page = client.get(new CtgovRequest.StudiesPage(List.of(nctId), null, false));
        JsonNode record = null;
        for (JsonNode s : page.path("studies")) {
            if (nctId.equals(s.path("protocolSection").path("identificationModule").path("nctId").asText())) {
                record = s;
            }
        }
        if (record == null) {
            throw new StudyNotInRegistryException(nctId);
        }
        CtgovStudy study = CtgovStudy.parse(record, client.studyUrl(nctId));
        SyncContext context = SyncContext.of(null, version.path("dataTimestamp").asText(null),
                LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString());
        Trial trial = applier.register(study, record, context, curator);
        LOG.infof("%s registered from ClinicalTrials.gov by %s (status %s)", nctId, curator, trial.overallStatus);
        return trial;
    }
}
