package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import com.cpo.embedded.EmbeddedPostgresServer;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/**
 * Upgrading a database that holds history: a database at schema version 3 (before partitions and yield rows) with
 * verdicts, a run and its alignment values, then the service started on it. The migration moves runs and values into
 * month partitions, and the service folds the stored verdicts into its yield rows at start, with the domain's rule.
 */
@QuarkusIntegrationTest
@WithTestResource(UpgradeIT.DatabaseAtVersion3.class)
class UpgradeIT {

    static final String PRODUCT = "PU-UPGRADE";

    @Test
    void historyStoredBeforeTheUpgradeIsInEveryFigureAfterIt() {
        // unit A failed at AA-01 and passed at RW-01; B passed; C was INCOMPLETE
        JsonPath byStation = given().get("/api/yield?operation=ALIGN&product=" + PRODUCT + "&groupBy=station").then().statusCode(200)
                .extract().jsonPath();
        assertThat(byStation.getInt("operations.find { it.key == 'ALIGN' }.units")).isEqualTo(3);
        assertThat(byStation.getInt("operations.find { it.key == 'ALIGN' }.firstPassUnits")).isEqualTo(1);
        assertThat(byStation.getInt("operations.find { it.key == 'ALIGN' }.finalPassUnits")).isEqualTo(2);
        assertThat(byStation.getInt("operations.find { it.key == 'ALIGN' }.runs")).isEqualTo(4);
        assertThat(byStation.getInt("operations.find { it.key == 'ALIGN' }.passedRuns")).isEqualTo(2);
        Map<String, Object> aa = byStation.getMap("groups.find { it.key == 'AA-01' }");
        assertThat(List.of(aa.get("units"), aa.get("firstPassUnits"), aa.get("finalPassUnits"), aa.get("runs"), aa.get("passedRuns")))
                .containsExactly(3, 1, 1, 3, 1);
        Map<String, Object> rw = byStation.getMap("groups.find { it.key == 'RW-01' }");
        assertThat(List.of(rw.get("units"), rw.get("firstPassUnits"), rw.get("runs"))).containsExactly(1, 1, 1);

        // and the run's values moved into their month's partition, in the unit's history and the statistics
        JsonPath unit = given().get("/api/units/{serial}", "U-A").then().statusCode(200).extract().jsonPath();
        assertThat(unit.getString("runs[0].operator")).isEqualTo("op-3");
        assertThat(unit.getList("runs[0].measurements.value", Float.class)).contains(1.25f, 1.75f);
        JsonPath storage = given().get("/api/storage").jsonPath();
        assertThat(storage.getList("tables.find { it.table == 'alignment_values' }.partitions.name")).contains("alignment_values_y2026m05");
        assertThat(given().get("/api/coupling-loss?step=POST_THERMAL&product=" + PRODUCT).jsonPath().getList("n")).containsExactly(1, 1);
    }

    /** A database of its own on the shared server, migrated to version 3 and given history, for one service start. */
    public static class DatabaseAtVersion3 implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(new RealInfrastructureResource().start());
            EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
            String database = "upgrade_" + Long.toHexString(System.nanoTime());
            // a database of its own: its own first administrator, whose password must not overwrite the shared one's
            java.nio.file.Path passwordFile = Sessions.ADMIN_PASSWORD_FILE.resolveSibling(database + "-admin-password");
            config.put("cpo.platform.security.admin-password-file", passwordFile.toString());
            Sessions.useAdminPasswordFile(passwordFile);
            String url = postgres.jdbcUrl().replace("/" + postgres.database(), "/" + database);
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            Flyway.configure().dataSource(url, postgres.user(), postgres.password()).locations("classpath:db/migration").target("3")
                    .load().migrate();
            try (Connection c = DriverManager.getConnection(url, postgres.user(), postgres.password()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO units (id, product, serial, lot) VALUES (1, '" + PRODUCT + "', 'U-A', 'L1'), (2, '" + PRODUCT
                        + "', 'U-B', 'L1'), (3, '" + PRODUCT + "', 'U-C', 'L2')");
                s.execute("""
                        INSERT INTO verdicts (event_id, run_id, unit_id, operation, attempt, station, run_start_time, event_time, outcome,
                                              limit_set_id, limit_set_version, reason) VALUES
                        ('v-a1', 'U-A-ALIGN-1', 1, 'ALIGN', 1, 'AA-01', '2026-05-01T08:00:00Z', '2026-05-01T08:10:00Z', 'FAIL', 'x', 1, NULL),
                        ('v-a2', 'U-A-ALIGN-2', 1, 'ALIGN', 2, 'RW-01', '2026-05-01T09:00:00Z', '2026-05-01T09:10:00Z', 'PASS', 'x', 1, NULL),
                        ('v-b1', 'U-B-ALIGN-1', 2, 'ALIGN', 1, 'AA-01', '2026-05-01T08:30:00Z', '2026-05-01T08:40:00Z', 'PASS', 'x', 1, NULL),
                        ('v-c1', 'U-C-ALIGN-1', 3, 'ALIGN', 1, 'AA-01', '2026-05-02T08:00:00Z', '2026-05-02T08:10:00Z', 'INCOMPLETE', 'x',
                         NULL, 'aborted')""");
                s.execute("""
                        INSERT INTO runs (run_id, unit_id, operation, attempt, station, operator, limit_set_id, channel_count, started_at,
                                          started_event_id, completed_at, aborted, measurement_events)
                        VALUES ('U-A-ALIGN-1', 1, 'ALIGN', 1, 'AA-01', 'op-3', 'x', 2, '2026-05-01T08:00:00Z', 's-a1',
                                '2026-05-01T08:09:00Z', false, 1)""");
                s.execute("""
                        INSERT INTO alignment_values (run_id, serial, station, step, channel, coupling_loss_db, pdl_db, measured_at, event_id)
                        VALUES ('U-A-ALIGN-1', 'U-A', 'AA-01', 'POST_THERMAL', 1, 1.25, NULL, '2026-05-01T08:05:00Z', 'a-a1'),
                               ('U-A-ALIGN-1', 'U-A', 'AA-01', 'POST_THERMAL', 2, 1.75, NULL, '2026-05-01T08:05:00Z', 'a-a1')""");
                s.execute("SELECT setval(pg_get_serial_sequence('units', 'id'), 3)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            config.put("quarkus.datasource.jdbc.url", url);
            return config;
        }

        @Override
        public void stop() {
            // the database stays with the shared server, which stops with the test JVM
        }
    }
}
