package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlarmKind;
import com.cpo.events.AlarmTransition;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.Operation;
import com.cpo.events.YieldDimension;
import com.cpo.events.YieldFigures;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * Alarms delivered to a real webhook receiver and a real SMTP server (GreenMail) on loopback, from the packaged service:
 * each exactly once, retried while the receiver is down, a redelivered alarm event notifying nobody twice.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(NotificationReceivers.class)
class NotificationsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static EventProducer events;
    private final String serial = "SN-NT-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void producers() {
        events = new EventProducer(SharedInfrastructure.kafka().bootstrapServers());
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static List<NotificationReceivers.Delivery> deliveredTo(String text) {
        return NotificationReceivers.DELIVERIES.stream().filter(d -> d.body().contains(text)).toList();
    }

    private static List<MimeMessage> mailsAbout(String text) throws Exception {
        List<MimeMessage> out = new java.util.ArrayList<>();
        for (MimeMessage m : NotificationReceivers.smtp.getReceivedMessages()) {
            if (m.getSubject().contains(text)) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void aBurnInAlarmReachesBothReceiversOnceRetriedWhileTheyAreDownAndARedeliveryNotifiesNobodyTwice() throws Exception {
        // given both receivers down
        NotificationReceivers.webhookDown = true;
        NotificationReceivers.stopSmtp();
        String run = serial + "-BURNIN-1";
        BurnInAlarm raised = BurnInAlarm.newBuilder().setEventId(run + ":POWER_DRIFT_PROJECTED:RAISED:1").setEventTime(Instant.now()).setRunId(run)
                .setSerial(serial).setStation("BI-01").setSlot(7).setChannel(4).setKind(AlarmKind.POWER_DRIFT_PROJECTED)
                .setTransition(AlarmTransition.RAISED).setChannels(List.of(4)).setValue(-0.2).setLimit(-0.5).setUnitOfMeasure("dB")
                .setMessage("channel 4 power drift -0.200 dB").build();

        // when the alarm is raised, and its event delivered again
        events.send(Topics.BURNIN_ALARMS.name(), serial, raised);
        events.send(Topics.BURNIN_ALARMS.name(), serial, raised);

        // then the webhook is tried again and again (it really answered 503), and so is the mail server (really down)
        await().atMost(DEADLINE).until(() -> deliveredTo(serial).size() >= 3);
        assertThat(deliveredTo(serial)).allMatch(d -> d.status() == 503);
        await().atMost(DEADLINE).until(() -> given().get("/api/notifications").jsonPath().getList("findAll { it.subject.contains('" + serial
                + "') && it.channel == 'EMAIL' && it.attempts >= 2 && it.lastError != null }").size() == 1);

        // when both come back
        NotificationReceivers.webhookDown = false;
        NotificationReceivers.startSmtp();

        // then each gets the alarm once
        await().atMost(DEADLINE).until(() -> deliveredTo(serial).stream().anyMatch(d -> d.status() == 204) && mailsAbout(serial).size() == 1);
        // and still once each through several sender passes (one a second)
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> deliveredTo(serial).stream().filter(d -> d.status() == 204).count() == 1 && mailsAbout(serial).size() == 1);
        assertThat(deliveredTo(serial).stream().filter(d -> d.status() == 204)).hasSize(1);
        assertThat(deliveredTo(serial).stream().map(NotificationReceivers.Delivery::notificationId).distinct()).hasSize(1);
        List<MimeMessage> mails = mailsAbout(serial);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getAllRecipients()[0].toString()).isEqualTo("line-engineers@plant.example");
        assertThat(((String) mails.get(0).getContent())).contains("channel 4 power drift -0.200 dB");
        assertThat(deliveredTo(serial).get(0).body()).contains("\"kind\":\"BURNIN_ALARM\"").contains("\"slot\":7");
        assertThat(given().get("/api/notifications").jsonPath().getList("findAll { it.subject.contains('" + serial + "') }.state", String.class))
                .containsExactly("SENT", "SENT");
    }

    @Test
    void aYieldAlarmIsDeliveredOnceItsLotHasTheMinimumSample() throws Exception {
        String product = "NT-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body("{\"fpyTarget\":0.9,\"minUnits\":20,\"reason\":\"qualification plan\"}")
                .put("/api/yield-targets/{p}/ALIGN", product).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"fpyTarget\":90,\"minUnits\":20,\"reason\":\"percent by mistake\"}")
                .put("/api/yield-targets/{p}/ALIGN", product).then().statusCode(400);

        // when the lot's FPY is below the target with 10 units, then with 25
        events.send(Topics.YIELD.name(), "LOT|" + product, yieldOf(product, 1, 10, 7));
        events.send(Topics.YIELD.name(), "LOT|" + product, yieldOf(product, 2, 25, 20));

        // then one alarm, raised at 25 units, delivered once to each receiver
        await().atMost(DEADLINE).until(() -> deliveredTo(product).stream().anyMatch(d -> d.status() == 204) && mailsAbout(product).size() == 1);
        assertThat(given().queryParam("product", product).get("/api/yield-alarms").jsonPath().getList("units", Integer.class)).containsExactly(25);

        // when the lot recovers, then the alarm clears
        events.send(Topics.YIELD.name(), "LOT|" + product, yieldOf(product, 3, 40, 37));
        await().atMost(DEADLINE).until(() -> given().queryParam("product", product).queryParam("state", "CLEARED").get("/api/yield-alarms")
                .jsonPath().getList("id").size() == 1);
        assertThat(mailsAbout(product)).hasSize(1);
    }

    private static YieldFigures yieldOf(String product, long revision, int units, int firstPass) {
        return YieldFigures.newBuilder().setEventId("LOT|" + product + "#" + revision).setEventTime(Instant.now()).setKey("LOT|" + product)
                .setRevision(revision).setDimension(YieldDimension.LOT).setProduct(product).setOperation(Operation.ALIGN).setGroup("L-NT")
                .setUnits(units).setFirstPassUnits(firstPass).setFinalPassUnits(firstPass).setRuns(units).setPassedRuns(firstPass)
                .setFirstPassYield(firstPass / (double) units).build();
    }
}
