package org.trialwatch.evidence.rest;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.trialwatch.evidence.application.EvidenceSeeder;

/** Not ready until the review's evidence is seeded: before that every summary would be empty. */
@Readiness
@ApplicationScoped
public class SeedReadinessCheck implements HealthCheck {

    private final EvidenceSeeder seeder;

    public SeedReadinessCheck(EvidenceSeeder seeder) {
        this.seeder = seeder;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("evidence-seed").status(seeder.isSeeded()).build();
    }
}
