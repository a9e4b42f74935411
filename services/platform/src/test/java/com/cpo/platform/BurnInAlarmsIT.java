package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlarmKind;
import com.cpo.events.AlarmTransition;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.Operation;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The lifecycle of burn-in alarms on the packaged service, a real broker and a real PostgreSQL: the analytics app's
 * changes open, update and clear an alarm, an engineer acknowledges it with a note, the unit's verdict closes it, and
 * every change is kept.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class BurnInAlarmsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static EventProducer events;
    private static VerdictProducer verdicts;
    private final String serial = "SN-AL-" + UUID.randomUUID().toString().substring(0, 8);
    private final Instant t0 = Instant.parse("2026-11-28T06:00:00Z");

    @BeforeAll
    static void producers() {
        events = new EventProducer(SharedInfrastructure.kafka().bootstrapServers());
        verdicts = new VerdictProducer(SharedInfrastructure.kafka().bootstrapServers(), Topics.VERDICTS.name());
    }

    @AfterAll
    static void close() {
        events.close();
        verdicts.close();
    }

    private BurnInAlarm change(String runId, AlarmKind kind, AlarmTransition transition, List<Integer> channels, Instant at) {
        return BurnInAlarm.newBuilder().setEventId(runId + ":" + kind + ":" + transition + ":" + at.toEpochMilli()).setEventTime(at)
                .setRunId(runId).setSerial(serial).setStation("BI-01").setSlot(5).setChannel(channels.get(0)).setKind(kind)
                .setTransition(transition).setChannels(channels).setValue(transition == AlarmTransition.CLEARED ? Double.NaN : -0.21)
                .setLimit(-0.5).setUnitOfMeasure("dB").setSlopePerHour(-0.03).setHoursToLimit(9.5).setProjected(-0.74)
                .setMessage("channel " + channels.get(0) + " power drift -0.210 dB").build();
    }

    private JsonPath alarms(String state) {
        return given().queryParam("serial", serial).queryParam("state", state).get("/api/alarms").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anAlarmIsRaisedUpdatedAcknowledgedAndClosedByItsVerdictWithItsHistoryKept() {
        // given the verdict's run id for the burn-in run (as the judge names it)
        String runId = serial + "-BURNIN-1";
        BurnInAlarm raised = change(runId, AlarmKind.POWER_DRIFT_PROJECTED, AlarmTransition.RAISED, List.of(3), t0.plusSeconds(5 * 3600));

        // when the analytics app raises it, sends it again (a redelivery), then adds a channel
        events.send(Topics.BURNIN_ALARMS.name(), serial, raised);
        events.send(Topics.BURNIN_ALARMS.name(), serial, raised);
        events.send(Topics.BURNIN_ALARMS.name(), serial,
                change(runId, AlarmKind.POWER_DRIFT_PROJECTED, AlarmTransition.UPDATED, List.of(3, 7), t0.plusSeconds(6 * 3600)));

        // then one open alarm names both channels
        await().atMost(DEADLINE).until(() -> alarms("OPEN").getList("channels").equals(List.of(List.of(3, 7))));
        JsonPath open = alarms("OPEN");
        long id = open.getLong("[0].id");
        assertThat(open.getString("[0].kind")).isEqualTo("POWER_DRIFT_PROJECTED");
        assertThat(open.getString("[0].raisedAt")).isEqualTo("2026-11-28T11:00:00Z");
        assertThat(open.getDouble("[0].projected")).isEqualTo(-0.74);

        // when a viewer tries to acknowledge, or an engineer without a note
        Sessions.as("it-viewer").spec().contentType(ContentType.JSON).body("{\"note\":\"seen\"}").post("/api/alarms/{id}/acknowledge", id)
                .then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"note\":\" \"}").post("/api/alarms/{id}/acknowledge", id).then().statusCode(400);

        // when an engineer acknowledges it with a note
        given().contentType(ContentType.JSON).body("{\"note\":\"fiber strain relief checked; watching\"}")
                .post("/api/alarms/{id}/acknowledge", id).then().statusCode(200);

        // then it is acknowledged, counted so, and cannot be acknowledged twice
        JsonPath acknowledged = alarms("ACKNOWLEDGED");
        assertThat(acknowledged.getString("[0].acknowledgedBy")).isEqualTo(Sessions.EVERY_ROLE);
        assertThat(acknowledged.getString("[0].acknowledgementNote")).isEqualTo("fiber strain relief checked; watching");
        assertThat(given().get("/api/alarms/counts").jsonPath().getLong("acknowledged")).isGreaterThanOrEqualTo(1);
        given().contentType(ContentType.JSON).body("{\"note\":\"again\"}").post("/api/alarms/{id}/acknowledge", id).then().statusCode(409);

        // when the unit leaves the rack: its burn-in verdict
        verdicts.send(TestVerdicts.verdict(serial, "CPO-OE16", "L-AL", "BI-01", Operation.BURNIN, 1, com.cpo.events.Outcome.FAIL,
                t0, 1, null, List.of()));

        // then the alarm is closed with the verdict, and its history holds every change once
        await().atMost(DEADLINE).until(() -> alarms("CLOSED").getList("id").size() == 1);
        JsonPath closed = alarms("CLOSED");
        assertThat(closed.getString("[0].closedOutcome")).isEqualTo("FAIL");
        assertThat(closed.getString("[0].product")).isEqualTo("CPO-OE16");
        assertThat(closed.getString("[0].lot")).isEqualTo("L-AL");
        JsonPath detail = given().get("/api/alarms/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getList("history.what", String.class)).containsExactly("RAISED", "UPDATED", "ACKNOWLEDGED", "CLOSED");
        assertThat(detail.getString("history[2].note")).isEqualTo("fiber strain relief checked; watching");
    }

    @Test
    void anAlarmWhoseProjectionRecedesIsClearedAndARaiseAfterItIsANewAlarm() {
        String runId = serial + "-BURNIN-1";
        events.send(Topics.BURNIN_ALARMS.name(), serial,
                change(runId, AlarmKind.BIAS_DRIFT_PROJECTED, AlarmTransition.RAISED, List.of(2), t0.plusSeconds(5 * 3600)));
        events.send(Topics.BURNIN_ALARMS.name(), serial,
                change(runId, AlarmKind.BIAS_DRIFT_PROJECTED, AlarmTransition.CLEARED, List.of(2), t0.plusSeconds(8 * 3600)));
        events.send(Topics.BURNIN_ALARMS.name(), serial,
                change(runId, AlarmKind.BIAS_DRIFT_PROJECTED, AlarmTransition.RAISED, List.of(2), t0.plusSeconds(12 * 3600)));

        await().atMost(DEADLINE).until(() -> alarms("OPEN").getList("id").size() == 1 && alarms("CLEARED").getList("id").size() == 1);
        JsonPath cleared = alarms("CLEARED");
        assertThat(cleared.getString("[0].clearedAt")).isEqualTo("2026-11-28T14:00:00Z");
        assertThat(cleared.getString("[0].value")).as("the last finding is kept").isEqualTo("-0.21");
        assertThat(alarms("OPEN").getString("[0].raisedAt")).isEqualTo("2026-11-28T18:00:00Z");
    }

    @Test
    void aBadFilterIsAProblemNamingTheParameter() {
        given().queryParam("state", "SLEEPING").get("/api/alarms").then().statusCode(400).contentType("application/problem+json");
        given().queryParam("from", "yesterday").get("/api/alarms").then().statusCode(400);
        given().get("/api/alarms/{id}", 987654321L).then().statusCode(404);
    }
}
