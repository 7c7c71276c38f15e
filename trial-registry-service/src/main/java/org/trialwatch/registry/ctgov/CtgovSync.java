package org.trialwatch.registry.ctgov;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;
import org.trialwatch.registry.persistence.SyncRun;
import org.trialwatch.registry.persistence.SyncRunRows;
import org.trialwatch.registry.persistence.TrialRows;
import org.trialwatch.support.persistence.Jdbc;

/**
 * Runs the ClinicalTrials.gov sync: every tracked trial, in batches of {@code batch-size} NCT ids, page by page.
 * Each study is applied in its own transaction, so one bad record never undoes the others; a study that is missing,
 * malformed or fails to apply is logged, listed in the run's errors, and its trial left as it was.
 *
 * <p>One run at a time across replicas: starting takes a PostgreSQL advisory lock and refuses while a RUNNING row
 * exists (a unique partial index backs this). A run whose replica died is taken as abandoned after
 * {@code stale-run-after}.
 */
@ApplicationScoped
public class CtgovSync {

    private static final Logger LOG = Logger.getLogger(CtgovSync.class);
    /** Advisory lock key: "TWCTGOV1" in ASCII. */
    private static final long START_LOCK = 0x54574354474f5631L;
    private static final int MAX_ERRORS_KEPT = 2000;
    private static final int MAX_PAGES_PER_BATCH = 100;

    private final CtgovClient client;
    private final CtgovRecordApplier applier;
    private final CtgovConfig config;
    private final DataSource ds;
    private final SyncRunRows runs;
    private final TrialRows trials;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong lastChangesFound = new AtomicLong();
    private final Timer runTimer;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ctgov-sync");
        t.setDaemon(true);
        return t;
    });

    public CtgovSync(CtgovClient client, CtgovRecordApplier applier, CtgovConfig config, DataSource ds, SyncRunRows runs,
                     TrialRows trials, Clock clock,
                     MeterRegistry metrics) {
        this.client = client;
        this.applier = applier;
        this.config = config;
        this.ds = ds;
        this.runs = runs;
        this.trials = trials;
        this.clock = clock;
        this.metrics = metrics;
        Gauge.builder("trialwatch_ctgov_sync_last_success_timestamp_seconds", lastSuccessEpochSeconds, AtomicLong::get)
                .description("When the last sync run that was not FAILED finished (epoch seconds; 0: never)")
                .register(metrics);
        Gauge.builder("trialwatch_ctgov_sync_last_changes_found", lastChangesFound, AtomicLong::get)
                .description("Changes the last finished sync run found").register(metrics);
        runTimer = Timer.builder("trialwatch_ctgov_sync_run_seconds").description("Duration of sync runs").register(metrics);
    }

    void onStart(@Observes StartupEvent ignored) {
        if (!config.enabled()) {
            LOG.info("ClinicalTrials.gov sync is off (no trialwatch.ctgov.base-url / TRIALWATCH_CTGOV_BASE_URL)");
            return;
        }
        LOG.infof("ClinicalTrials.gov sync on: %s", client.baseUrl());
        QuarkusTransaction.requiringNew().run(() -> {
            runs.lastCompleted().filter(last -> last.finishedAt != null).ifPresent(last -> {
                lastSuccessEpochSeconds.set(last.finishedAt.getEpochSecond());
                lastChangesFound.set(last.changesFound);
            });
        });
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Starts a run in the background; returns its id at once. */
    public long trigger(String triggerKind, String who) {
        long runId = start(triggerKind, who);
        runner.submit(() -> execute(runId));
        return runId;
    }

    @Scheduled(identity = "ctgov-sync", every = "${trialwatch.ctgov.interval:6h}",
            delayed = "${trialwatch.ctgov.first-run-delay:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.enabled()) {
            return;
        }
        try {
            execute(start("SCHEDULE", "scheduler"));
        } catch (SyncAlreadyRunningException e) {
            LOG.infof("scheduled sync skipped: run %d is still running", e.runningRunId());
        }
    }

    long start(String triggerKind, String who) {
        if (!config.enabled()) {
            throw new SyncDisabledException();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Jdbc.lockForTransaction(ds, START_LOCK);
            Instant now = clock.instant();
            for (SyncRun stale : runs.inState(SyncRun.RUNNING, now.minus(config.staleRunAfter()))) {
                stale.state = SyncRun.FAILED;
                stale.finishedAt = now;
                stale.failure = "abandoned: still RUNNING after " + config.staleRunAfter() + " (its instance stopped?)";
                runs.update(stale);
                LOG.warnf("sync run %d marked abandoned", stale.id);
            }
            runs.running().ifPresent(running -> {
                throw new SyncAlreadyRunningException(running.id);
            });
            SyncRun run = new SyncRun();
            run.triggerKind = triggerKind;
            run.triggeredBy = who;
            run.state = SyncRun.RUNNING;
            run.startedAt = now;
            return runs.insert(run).id;
        });
    }

    /** Runs the sync and records its outcome; never throws. */
    void execute(long runId) {
        long startedNanos = System.nanoTime();
        Progress p = new Progress();
        String state;
        String failure = null;
        try {
            JsonNode version = client.get(new CtgovRequest.Version());
            SyncContext context = SyncContext.of(runId, version.path("dataTimestamp").asText(null),
                    LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString());
            String apiVersion = version.path("apiVersion").asText(null);
            List<String> ids = trials.ids();
            p.requested = ids.size();
            QuarkusTransaction.requiringNew().run(() -> {
                SyncRun run = runs.find(runId).orElseThrow();
                run.dataTimestamp = context.dataTimestamp();
                run.apiVersion = apiVersion;
                run.studiesRequested = ids.size();
                runs.update(run);
            });
            LOG.infof("sync run %d: %d tracked trials, ClinicalTrials.gov data of %s (API %s)", runId, ids.size(),
                    context.dataTimestamp(), apiVersion);
            int batches = (ids.size() + config.batchSize() - 1) / config.batchSize();
            for (int b = 0; b < batches; b++) {
                List<String> batch = ids.subList(b * config.batchSize(), Math.min(ids.size(), (b + 1) * config.batchSize()));
                syncBatch(batch, context, p);
                LOG.infof("sync run %d: batch %d/%d done: %d fetched, %d trials changed, %d changes, %d errors so far",
                        runId, b + 1, batches, p.fetched, p.changedStudies, p.changes, p.errors.size());
            }
            state = p.errors.isEmpty() ? SyncRun.SUCCEEDED
                    : p.fetched == 0 && p.requested > 0 ? SyncRun.FAILED : SyncRun.PARTIAL;
            if (SyncRun.FAILED.equals(state)) {
                failure = "no study could be fetched";
            }
        } catch (RuntimeException e) {
            state = SyncRun.FAILED;
            failure = describe(e);
            LOG.errorf("sync run %d failed: %s", runId, failure);
        }
        finish(runId, state, failure, p);
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        runTimer.record(took);
        metrics.counter("trialwatch_ctgov_sync_runs_total", "state", state).increment();
        metrics.counter("trialwatch_ctgov_sync_changes_found_total").increment(p.changes);
        metrics.counter("trialwatch_ctgov_sync_studies_fetched_total").increment(p.fetched);
        metrics.counter("trialwatch_ctgov_sync_study_errors_total").increment(p.errors.size());
        lastChangesFound.set(p.changes);
        if (!SyncRun.FAILED.equals(state)) {
            lastSuccessEpochSeconds.set(clock.instant().getEpochSecond());
        }
        LOG.infof("sync run %d %s in %d ms: %d of %d studies fetched, %d trials changed (%d changes), %d errors",
                runId, state, took.toMillis(), p.fetched, p.requested, p.changedStudies, p.changes, p.errors.size());
    }

    private void syncBatch(List<String> batch, SyncContext context, Progress p) {
        List<JsonNode> records = new ArrayList<>();
        try {
            String token = null;
            int pages = 0;
            do {
                JsonNode page = client.get(new CtgovRequest.StudiesPage(batch, token, pages == 0));
                page.path("studies").forEach(records::add);
                token = page.path("nextPageToken").isTextual() ? page.path("nextPageToken").asText() : null;
                pages++;
            } while (token != null && pages < MAX_PAGES_PER_BATCH);
        } catch (CtgovUnavailableException | CtgovRejectedException | FaultToleranceException e) {
            String reason = "fetch failed: " + describe(e);
            LOG.warnf("batch of %d studies not fetched: %s", batch.size(), reason);
            batch.forEach(id -> p.error(id, reason));
            return;
        }
        Set<String> wanted = new HashSet<>(batch);
        Set<String> seen = new HashSet<>();
        for (JsonNode record : records) {
            String rawId = record.path("protocolSection").path("identificationModule").path("nctId").asText(null);
            CtgovStudy study;
            try {
                study = CtgovStudy.parse(record, client.studyUrl(rawId));
            } catch (MalformedStudyException e) {
                String id = e.nctId() != null ? e.nctId() : rawId;
                LOG.warnf("skipped a malformed ClinicalTrials.gov record: %s", e.getMessage());
                if (id != null && wanted.contains(id)) {
                    seen.add(id);
                    p.fetched++;
                }
                p.error(id, "malformed record: " + String.join("; ", e.reasons()));
                continue;
            }
            if (!wanted.contains(study.nctId()) || !seen.add(study.nctId())) {
                continue; // not asked for, or a repeat across pages
            }
            p.fetched++;
            try {
                CtgovRecordApplier.Applied applied = applier.apply(study, record, context);
                if (applied.trialChanged()) {
                    p.changedStudies++;
                    p.changes += applied.changes();
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: record not applied", study.nctId());
                p.error(study.nctId(), "not applied: " + describe(e));
            }
        }
        for (String id : batch) {
            if (!seen.contains(id)) {
                LOG.warnf("%s is not in ClinicalTrials.gov's answer; the trial is left as it was", id);
                p.error(id, "not in ClinicalTrials.gov's answer (unknown to the registry, or removed from it)");
            }
        }
    }

    private void finish(long runId, String state, String failure, Progress p) {
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun run = runs.find(runId).orElseThrow();
            run.state = state;
            run.finishedAt = clock.instant();
            run.failure = failure;
            run.studiesRequested = p.requested;
            run.studiesFetched = p.fetched;
            run.studiesChanged = p.changedStudies;
            run.changesFound = p.changes;
            run.errors = p.errors.size() > MAX_ERRORS_KEPT ? new ArrayList<>(p.errors.subList(0, MAX_ERRORS_KEPT)) : p.errors;
            runs.update(run);
        });
    }

    private static String describe(Throwable e) {
        if (e instanceof CircuitBreakerOpenException) {
            return "ClinicalTrials.gov circuit breaker is open after repeated failures; the next run tries again";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 500 ? m.substring(0, 500) : m));
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    private static final class Progress {
        int requested;
        int fetched;
        int changedStudies;
        int changes;
        final List<Map<String, String>> errors = new ArrayList<>();

        void error(String nctId, String reason) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("nctId", nctId);
            e.put("reason", reason);
            errors.add(e);
        }
    }
}
