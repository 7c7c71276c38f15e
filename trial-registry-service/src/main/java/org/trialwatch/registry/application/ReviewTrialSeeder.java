package org.trialwatch.registry.application;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.registry.persistence.Trial;
import org.trialwatch.registry.persistence.TrialRows;
import org.trialwatch.support.persistence.Jdbc;

/**
 * Seeds the review's 14 trials on start. Idempotent: a trial already tracked is left alone, so a restart seeds
 * nothing twice; an advisory lock keeps two replicas starting together from racing.
 */
@ApplicationScoped
public class ReviewTrialSeeder {

    private static final Logger LOG = Logger.getLogger(ReviewTrialSeeder.class);
    private static final long SEED_LOCK = 0x5457534545445331L;

    private final TrialService trials;
    private final TrialRows rows;
    private final DataSource ds;
    private final ObjectMapper mapper;
    private final boolean enabled;

    public ReviewTrialSeeder(TrialService trials, TrialRows rows, DataSource ds, ObjectMapper mapper,
                             @ConfigProperty(name = "trialwatch.seed.enabled", defaultValue = "true") boolean enabled) {
        this.trials = trials;
        this.rows = rows;
        this.ds = ds;
        this.mapper = mapper;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent ignored) throws IOException {
        if (!enabled) {
            return;
        }
        List<Trial> seed;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(ReviewTrialsFile.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + ReviewTrialsFile.RESOURCE);
            }
            seed = new ReviewTrialsFile(mapper).read(in);
        }
        int added = QuarkusTransaction.requiringNew().call(() -> {
            Jdbc.lockForTransaction(ds, SEED_LOCK);
            int count = 0;
            for (Trial t : seed) {
                if (!rows.exists(t.nctId)) {
                    trials.register(t, ChangeOrigin.IMPORT, "seed:review-trials.json");
                    count++;
                }
            }
            return count;
        });
        LOG.infof("seed: %d of %d review trials registered now (%d were already tracked)", added, seed.size(),
                seed.size() - added);
    }
}
