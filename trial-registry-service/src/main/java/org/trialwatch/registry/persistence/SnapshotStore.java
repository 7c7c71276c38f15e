package org.trialwatch.registry.persistence;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Keeps a study record's versions: a fetched record is stored only when it differs from the latest stored one. */
@ApplicationScoped
public class SnapshotStore {

    private final Clock clock;

    public SnapshotStore(Clock clock) {
        this.clock = clock;
    }

    /** Call with the trial's row locked (the sync does), so two writers cannot take the same version number. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean storeIfChanged(String nctId, JsonNode record, String lastUpdatePostDate, String dataTimestamp,
                                  Long runId) {
        byte[] canonical = SnapshotCodec.canonical(record);
        String sha = SnapshotCodec.sha256(canonical);
        RegistrySnapshot latest = RegistrySnapshot.<RegistrySnapshot>find("nctId = ?1 order by versionNo desc", nctId)
                .firstResult();
        if (latest != null && latest.contentSha256.equals(sha)) {
            return false;
        }
        RegistrySnapshot row = new RegistrySnapshot();
        row.nctId = nctId;
        row.versionNo = latest == null ? 1 : latest.versionNo + 1;
        row.lastUpdatePostDate = lastUpdatePostDate;
        row.dataTimestamp = dataTimestamp;
        row.contentSha256 = sha;
        row.documentGzip = SnapshotCodec.gzip(canonical);
        row.fetchedAt = clock.instant();
        row.syncRunId = runId;
        row.persist();
        return true;
    }

    /** Up to {@code limit} versions numbered above {@code afterVersion}, oldest first. */
    public List<RegistrySnapshot> versions(String nctId, int afterVersion, int limit) {
        return RegistrySnapshot.<RegistrySnapshot>find("nctId = ?1 and versionNo > ?2 order by versionNo", nctId,
                afterVersion).range(0, limit - 1).list();
    }

    public RegistrySnapshot version(String nctId, int versionNo) {
        return RegistrySnapshot.find("nctId = ?1 and versionNo = ?2", nctId, versionNo).firstResult();
    }
}
