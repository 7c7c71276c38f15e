package org.trialwatch.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** TRIALWATCH_PG_SETTINGS: what the local run's embedded PostgreSQL is started with. */
class PostgresServerSettingsTest {

    @Test
    void settingsAreNameValuePairsSeparatedBySpaces() {
        assertThat(PostgresDatabases.serverSettings(" shared_preload_libraries=pg_stat_statements  "
                + "pg_stat_statements.track=all "))
                .containsExactly(Map.entry("shared_preload_libraries", "pg_stat_statements"),
                        Map.entry("pg_stat_statements.track", "all"));
    }

    @Test
    void noneOrBlankLeavesThePackagedDefaults() {
        assertThat(PostgresDatabases.serverSettings(null)).isEmpty();
        assertThat(PostgresDatabases.serverSettings("  ")).isEmpty();
    }

    @Test
    void aWordWithoutAValueIsRefusedByName() {
        assertThatThrownBy(() -> PostgresDatabases.serverSettings("shared_preload_libraries"))
                .hasMessageContaining("'shared_preload_libraries' is not name=value");
    }
}
