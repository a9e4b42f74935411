package com.cpo.platform;

import static com.cpo.platform.TestStationEvents.alignment;
import static com.cpo.platform.TestStationEvents.completed;
import static com.cpo.platform.TestStationEvents.started;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentStep;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.RunCompleted;
import com.cpo.platform.report.stdf.StdfReader;
import com.cpo.platform.report.stdf.StdfReader.StdfRecord;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * The STDF export read back by a reader written from the specification (record by record, field by field), its counts and
 * values checked against the database.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class StdfExportIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant T = Instant.parse("2026-07-01T08:00:00Z");
    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void theRunsOfAProductAreAnStdfFileWhoseRecordsMatchTheDatabase() throws Exception {
        // given v1 of a 2-channel product (coupling loss ≤ 2.0 dB, PDL ≤ 0.3 dB) and five runs: A passes; B fails on channel 1
        // (2.5 dB) and passes its retest; C has two of its three steps (INCOMPLETE); D is not judged yet
        String product = TestVerdicts.uniqueSerial("PSTDF");
        given().contentType(ContentType.JSON).body(Map.of("reason", "v1", "limits", List.of(limit("coupling_loss", 2.0), limit("pdl", 0.3))))
                .post("/api/limit-sets/{product}/ALIGN/drafts", product).then().statusCode(201);
        Sessions.as("it-quality").spec().contentType(ContentType.JSON)
                .body(Map.of("reason", "qualified", "effectiveFrom", "2020-01-01T00:00:00Z", "backdatingReason", "test history"))
                .post("/api/limit-sets/{product}/ALIGN/versions/1/release", product).then().statusCode(200);
        String lot = TestVerdicts.uniqueSerial("LST");
        String a = lot + "-A", b = lot + "-B", c = lot + "-C", d = lot + "-D", e = lot + "-E";
        try (EventProducer producer = new EventProducer(bootstrapServers);
                VerdictProducer verdicts = new VerdictProducer(bootstrapServers, Topics.VERDICTS.name())) {
            run(producer, product, lot, a, "AA-01", 1, T, 3, 1.2, 0.8);
            run(producer, product, lot, b, "AA-01", 1, T.plusSeconds(60), 3, 2.5, 0.9);
            run(producer, product, lot, b, "RW-01", 2, T.plusSeconds(3600), 3, 1.4, 0.9);
            run(producer, product, lot, c, "AA-01", 1, T.plusSeconds(120), 2, 1.2, 1.2);
            run(producer, product, lot, d, "AA-01", 1, T.plusSeconds(180), 3, 1.1, 1.0);
            producer.send(Topics.STATION_EVENTS.name(), e, started(e, product, lot, "AA-02", Operation.ALIGN, 1, T.plusSeconds(240), 2));
            verdicts.send(verdict(a, product, lot, "AA-01", 1, Outcome.PASS, T, List.of()));
            verdicts.send(verdict(b, product, lot, "AA-01", 1, Outcome.FAIL, T.plusSeconds(60), List.of(TestVerdicts.couplingLoss(1, 2.5, 2.0))));
            verdicts.send(verdict(b, product, lot, "RW-01", 2, Outcome.PASS, T.plusSeconds(3600), List.of()));
            verdicts.send(verdict(c, product, lot, "AA-01", 1, Outcome.INCOMPLETE, T.plusSeconds(120), List.of()));
        }
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM runs WHERE limit_set_id = ? AND completed_at IS NOT NULL", product + "/ALIGN") == 5
                && count("SELECT count(*) FROM runs WHERE limit_set_id = ?", product + "/ALIGN") == 6
                && count("SELECT count(*) FROM verdicts WHERE limit_set_id = ?", product + "/ALIGN") == 4);

        // when the product's runs are exported
        byte[] file = given().queryParam("operation", "ALIGN").queryParam("product", product).get("/api/reports/runs.stdf")
                .then().statusCode(200).header("Content-Disposition", org.hamcrest.Matchers.containsString(".stdf")).extract().asByteArray();
        List<StdfRecord> records = StdfReader.read(new ByteArrayInputStream(file));

        // then the file is FAR, MIR, a PIR … PRR per run, then the summaries, MRR last
        assertThat(records.get(0).name()).isEqualTo("FAR");
        assertThat(records.get(0).number("CPU_TYPE")).isEqualTo(2);
        assertThat(records.get(0).number("STDF_VER")).isEqualTo(4);
        assertThat(records.get(1).name()).isEqualTo("MIR");
        assertThat(records.get(1).text("PART_TYP")).isEqualTo(product);
        assertThat(records.get(records.size() - 1).name()).isEqualTo("MRR");
        List<List<StdfRecord>> parts = parts(records);
        long runs = count("SELECT count(*) FROM runs WHERE limit_set_id = ? AND completed_at IS NOT NULL", product + "/ALIGN");
        assertThat(parts).hasSize((int) runs);

        // and every PTR is a stored value, coupling loss and PDL of each step and channel, with the limit that bound it
        Map<String, double[]> stored = storedValues(product);
        long ptrs = records.stream().filter(r -> r.name().equals("PTR")).count();
        assertThat(ptrs).isEqualTo(2L * stored.size());
        for (List<StdfRecord> part : parts) {
            StdfRecord prr = part.get(part.size() - 1);
            String serial = prr.text("PART_ID");
            int attempt = prr.text("PART_TXT").contains("attempt 2") ? 2 : 1;
            assertThat(prr.number("NUM_TEST")).isEqualTo(part.size() - 2);
            for (StdfRecord ptr : part.subList(1, part.size() - 1)) {
                long test = ptr.number("TEST_NUM");
                int parameter = (int) (test / 100_000);
                String step = List.of("PRE_CURE", "POST_UV", "POST_THERMAL").get((int) (test / 1000 % 100) - 1);
                int channel = (int) (test % 1000);
                double[] values = stored.get(serial + "/" + attempt + "/" + step + "/" + channel);
                assertThat(values).as("%s attempt %d test %d", serial, attempt, test).isNotNull();
                assertThat(ptr.real("RESULT")).isEqualTo((float) values[parameter - 1]);
                assertThat(ptr.text("TEST_TXT")).isEqualTo((parameter == 1 ? "coupling_loss " : "pdl ") + step + " ch" + channel);
                assertThat(ptr.text("UNITS")).isEqualTo("dB");
                if (serial.equals(d) || serial.equals(c)) {
                    // not judged, or judged INCOMPLETE: no version's limits were applied
                    assertThat(ptr.bits("OPT_FLAG") & 0xC0).as("no limits").isEqualTo(0xC0);
                    assertThat(ptr.bits("TEST_FLG")).as("no pass/fail indication").isEqualTo(0x40);
                } else {
                    assertThat(ptr.real("HI_LIMIT")).isEqualTo(parameter == 1 ? 2.0f : 0.3f);
                    assertThat(ptr.bits("OPT_FLAG") & 0xC0).as("a high limit, no low one").isEqualTo(0x40);
                    boolean fails = values[parameter - 1] > (parameter == 1 ? 2.0 : 0.3);
                    assertThat(ptr.bits("TEST_FLG") & 0x80).isEqualTo(fails ? 0x80 : 0);
                    assertThat(ptr.bits("PARM_FLG") & 0x08).isEqualTo(fails ? 0x08 : 0);
                }
            }
        }
        // and each run's bins and flags: B's first run failed on coupling loss, its retest supersedes it; C is INCOMPLETE, D not
        // judged yet, E still in progress (not a part)
        assertThat(prr(parts, a, 1).number("HARD_BIN")).isEqualTo(1);
        assertThat(prr(parts, a, 1).number("SOFT_BIN")).isEqualTo(1);
        assertThat(prr(parts, b, 1).number("HARD_BIN")).isEqualTo(2);
        assertThat(prr(parts, b, 1).number("SOFT_BIN")).isEqualTo(10);
        assertThat(prr(parts, b, 1).bits("PART_FLG")).isEqualTo(0x08);
        assertThat(prr(parts, b, 2).bits("PART_FLG")).isEqualTo(0x01);
        assertThat(prr(parts, c, 1).number("HARD_BIN")).isEqualTo(3);
        assertThat(prr(parts, c, 1).number("SOFT_BIN")).isEqualTo(30);
        assertThat(prr(parts, c, 1).bits("PART_FLG")).as("failed, not aborted at the tester").isEqualTo(0x08);
        assertThat(prr(parts, d, 1).number("HARD_BIN")).isEqualTo(4);
        assertThat(prr(parts, d, 1).bits("PART_FLG")).as("no pass/fail indication yet").isEqualTo(0x10);
        assertThat(parts).noneMatch(p -> p.get(p.size() - 1).text("PART_ID").equals(e));
        assertThat(prr(parts, a, 1).number("TEST_T")).isEqualTo(300_000);

        // and the summaries: a TSR per test with its executions, failures and extremes, bins and part counts as in the database
        StdfRecord tsr = records.stream().filter(r -> r.name().equals("TSR") && r.number("TEST_NUM") == 103_001).findFirst().orElseThrow();
        long executed = stored.keySet().stream().filter(k -> k.endsWith("/POST_THERMAL/1")).count();
        assertThat(tsr.number("EXEC_CNT")).isEqualTo(executed).isEqualTo(4); // A, B twice, D
        assertThat(tsr.number("FAIL_CNT")).isEqualTo(1);
        assertThat(tsr.real("TEST_MAX")).isEqualTo(2.5f);
        assertThat(tsr.real("TEST_MIN")).isEqualTo(1.1f);
        assertThat(tsr.text("TEST_NAM")).isEqualTo("coupling_loss POST_THERMAL ch1");
        assertThat(records.stream().filter(r -> r.name().equals("TSR")).count())
                .isEqualTo(2L * stored.keySet().stream().map(k -> k.substring(k.indexOf('/', k.indexOf('/') + 1))).distinct().count());
        Map<Long, Long> hardBins = new HashMap<>();
        records.stream().filter(r -> r.name().equals("HBR")).forEach(r -> hardBins.put(r.number("HBIN_NUM"), r.number("HBIN_CNT")));
        assertThat(hardBins).isEqualTo(Map.of(1L, count("SELECT count(*) FROM verdicts WHERE limit_set_id = ? AND outcome = 'PASS'", product + "/ALIGN"),
                2L, 1L, 3L, 1L, 4L, 1L));
        assertThat(records.stream().filter(r -> r.name().equals("HBR")).filter(r -> r.number("HBIN_NUM") == 1).findFirst().orElseThrow()
                .character("HBIN_PF")).isEqualTo('P');
        assertThat(records.stream().filter(r -> r.name().equals("SBR")).filter(r -> r.number("SBIN_NUM") == 10).findFirst().orElseThrow()
                .text("SBIN_NAM")).isEqualTo("FAIL coupling_loss");
        StdfRecord pcr = records.stream().filter(r -> r.name().equals("PCR")).findFirst().orElseThrow();
        assertThat(pcr.number("PART_CNT")).isEqualTo(runs);
        assertThat(pcr.number("RTST_CNT")).isEqualTo(1);
        assertThat(pcr.number("GOOD_CNT")).isEqualTo(2);

        // and a filter that names a lot of nothing gives a file with no parts, still well formed
        List<StdfRecord> none = StdfReader.read(new ByteArrayInputStream(given().queryParam("operation", "ALIGN").queryParam("product", product)
                .queryParam("lot", "NO-SUCH-LOT").get("/api/reports/runs.stdf").then().statusCode(200).extract().asByteArray()));
        assertThat(none).extracting(StdfRecord::name).containsExactly("FAR", "MIR", "PCR", "MRR");
        given().queryParam("from", "yesterday").get("/api/reports/runs.stdf").then().statusCode(400);
    }

    private static StdfRecord prr(List<List<StdfRecord>> parts, String serial, int attempt) {
        return parts.stream().map(p -> p.get(p.size() - 1))
                .filter(r -> r.text("PART_ID").equals(serial) && r.text("PART_TXT").contains("attempt " + attempt)).findFirst().orElseThrow();
    }

    /** The records between each PIR and its PRR, both included. */
    private static List<List<StdfRecord>> parts(List<StdfRecord> records) {
        List<List<StdfRecord>> parts = new ArrayList<>();
        List<StdfRecord> open = null;
        for (StdfRecord r : records) {
            if (r.name().equals("PIR")) {
                open = new ArrayList<>();
            }
            if (open != null) {
                open.add(r);
            }
            if (r.name().equals("PRR")) {
                parts.add(open);
                open = null;
            }
        }
        return parts;
    }

    /** serial/attempt/step/channel → {coupling loss, PDL} as stored. */
    private static Map<String, double[]> storedValues(String product) throws SQLException {
        Map<String, double[]> out = new HashMap<>();
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT a.serial, r.attempt, a.step, a.channel, a.coupling_loss_db, a.pdl_db "
                        + "FROM alignment_values a JOIN runs r ON r.run_id = a.run_id WHERE r.limit_set_id = ?")) {
            s.setString(1, product + "/ALIGN");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "/" + rs.getInt(2) + "/" + rs.getString(3) + "/" + rs.getInt(4), new double[] {rs.getDouble(5), rs.getDouble(6)});
                }
            }
        }
        return out;
    }

    private static com.cpo.events.Verdict verdict(String serial, String product, String lot, String station, int attempt, Outcome outcome,
            Instant start, List<com.cpo.events.FailedCheck> checks) {
        return TestVerdicts.verdict(serial, product, lot, station, Operation.ALIGN, attempt, outcome, start,
                outcome == Outcome.INCOMPLETE ? null : 1, outcome == Outcome.INCOMPLETE ? "measurements missing" : null, checks);
    }

    private static void run(EventProducer producer, String product, String lot, String serial, String station, int attempt, Instant start,
            int steps, double ch1, double ch2) {
        String topic = Topics.STATION_EVENTS.name();
        producer.send(topic, serial, started(serial, product, lot, station, Operation.ALIGN, attempt, start, 2));
        AlignmentStep[] order = {AlignmentStep.PRE_CURE, AlignmentStep.POST_UV, AlignmentStep.POST_THERMAL};
        for (int s = 0; s < steps; s++) {
            double[] losses = s == 2 ? new double[] {ch1, ch2} : new double[] {0.5 + 0.01 * s, 0.6};
            producer.send(topic, serial, alignment(serial, station, attempt, order[s], start.plusSeconds(60L * (s + 1)), losses));
        }
        producer.send(topic, serial, RunCompleted.newBuilder(completed(serial, station, Operation.ALIGN, attempt, start.plusSeconds(300)))
                .setMeasurementEvents(3).build());
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Object> limit(String parameter, double upper) {
        Map<String, Object> l = new HashMap<>();
        l.put("parameter", parameter);
        l.put("upperLimit", upper);
        l.put("unitOfMeasure", "dB");
        return l;
    }
}
