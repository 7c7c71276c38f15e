package org.trialwatch.registry.persistence;

import java.time.Instant;

/** One distinct version of a study record as fetched from ClinicalTrials.gov, kept gzip-compressed. */
public class RegistrySnapshot {

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
