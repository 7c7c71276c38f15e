package org.trialwatch.evidence.config;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.summary.SummaryCalculator;
import org.trialwatch.evidence.persistence.ReviewEvidenceParser;

/** The plain-Java domain, made available to the Quarkus edges. */
public class DomainBeans {

    @Produces
    @Singleton
    EvidenceCatalog catalog() {
        return new ReviewEvidenceParser().parseResource();
    }

    @Produces
    @Singleton
    GroupClassifier classifier(EvidenceCatalog catalog) {
        return new GroupClassifier(catalog);
    }

    @Produces
    @Singleton
    SummaryCalculator calculator(EvidenceCatalog catalog, EvidenceConfig config) {
        return new SummaryCalculator(catalog, config.summary().smallN());
    }
}
