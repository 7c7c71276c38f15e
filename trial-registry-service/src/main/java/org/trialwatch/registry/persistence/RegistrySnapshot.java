package org.trialwatch.registry.persistence;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One distinct version of a study record as fetched from ClinicalTrials.gov, kept gzip-compressed. */
@Entity
@Table(name = "registry_snapshot")
public class RegistrySnapshot extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String nctId;
    public int versionNo;
    public String lastUpdatePostDate;
    public String dataTimestamp;
    public String contentSha256;
    public byte[] documentGzip;
    public Instant fetchedAt;
    public Long syncRunId;
}
