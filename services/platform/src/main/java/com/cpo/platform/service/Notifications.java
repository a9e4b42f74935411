package com.cpo.platform.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.cpo.platform.NotifyConfig;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.scheduler.Scheduled;

/**
 * The notification outbox (V11). {@link #enqueue} runs in the transaction that stores an alarm, so a notification
 * exists exactly when its alarm does, once per source event and channel; {@link #sendDue} delivers due rows, any
 * instance, each row locked while it is sent ({@code FOR UPDATE SKIP LOCKED}), marks them SENT or retries with a
 * doubling delay (up to {@code cpo.notify.max-delay}) while the receiver is down. A delivery carries its notification's
 * id ({@code X-CPO-Notification-Id} header, the e-mail's Message-ID), so a receiver can drop the one repeat an instance
 * dying between delivering and committing would cause.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    /** A notification as listed. */
    public record NotificationView(long id, String sourceId, String channel, String kind, String subject, String state, int attempts,
            Instant createdAt, Instant nextAttemptAt, String lastError, Instant sentAt) {
    }

    private final DataSource database;
    private final NotifyConfig config;
    private final Mailer mailer;
    private final MeterRegistry registry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Notifications(DataSource database, NotifyConfig config, Mailer mailer, MeterRegistry registry) {
        this.database = database;
        this.config = config;
        this.mailer = mailer;
        this.registry = registry;
    }

    /**
     * Queues a notification of an alarm on every configured channel, once per source event (called in the alarm's transaction).
     *
     * @param sourceId what the alarm is, uniquely (the event id of its change)
     * @param payload the alarm's fields, sent as the webhook's JSON
     */
    public void enqueue(Connection c, String kind, String sourceId, String subject, String body, Map<String, Object> payload) throws SQLException {
        if (!config.kinds().contains(kind)) {
            return;
        }
        List<String> channels = new ArrayList<>();
        config.webhookUrl().filter(u -> !u.isBlank()).ifPresent(u -> channels.add("WEBHOOK"));
        config.emailTo().filter(l -> !l.isEmpty()).ifPresent(l -> channels.add("EMAIL"));
        if (channels.isEmpty()) {
            return;
        }
        String json;
        try {
            json = JSON.writeValueAsString(Map.of("kind", kind, "source", sourceId, "subject", subject, "text", body, "alarm", payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the notification of " + sourceId, e);
        }
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO notifications (source_id, channel, kind, subject, body, payload, created_at,"
                + " state, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?) ON CONFLICT (source_id, channel) DO NOTHING")) {
            for (String channel : channels) {
                s.setString(1, sourceId.length() <= 300 ? sourceId : sourceId.substring(0, 300));
                s.setString(2, channel);
                s.setString(3, kind);
                s.setString(4, subject.length() <= 500 ? subject : subject.substring(0, 500));
                s.setString(5, body);
                s.setString(6, json);
                s.setTimestamp(7, now);
                s.setTimestamp(8, now);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Sends the due notifications, at most 10 per pass. */
    @Scheduled(every = "${cpo.notify.every:2s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    @io.quarkus.narayana.jta.runtime.TransactionConfiguration(timeout = 300)
    void sendDue() throws SQLException {
        try (Connection c = database.getConnection()) {
            List<Object[]> due = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, channel, subject, body, payload, attempts FROM notifications"
                    + " WHERE state = 'PENDING' AND next_attempt_at <= now() ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    due.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6)});
                }
            }
            for (Object[] n : due) {
                long id = (Long) n[0];
                String channel = (String) n[1];
                String error = deliver(id, channel, (String) n[2], (String) n[3], (String) n[4]);
                int attempts = (Integer) n[5] + 1;
                if (error == null) {
                    try (PreparedStatement s = c.prepareStatement("UPDATE notifications SET state = 'SENT', attempts = ?, sent_at = now(),"
                            + " last_error = NULL WHERE id = ?")) {
                        s.setInt(1, attempts);
                        s.setLong(2, id);
                        s.executeUpdate();
                    }
                    counter(channel, "sent").increment();
                } else {
                    long delayS = Math.min(config.maxDelay().toSeconds(), 1L << Math.min(20, attempts));
                    try (PreparedStatement s = c.prepareStatement("UPDATE notifications SET attempts = ?, last_error = ?,"
                            + " next_attempt_at = now() + make_interval(secs => ?) WHERE id = ?")) {
                        s.setInt(1, attempts);
                        s.setString(2, error.length() <= 1000 ? error : error.substring(0, 1000));
                        s.setLong(3, delayS);
                        s.setLong(4, id);
                        s.executeUpdate();
                    }
                    counter(channel, "failed").increment();
                    LOG.warnf("notification %d (%s) not delivered, attempt %d; next in %d s: %s", id, channel, attempts, delayS, error);
                }
            }
        }
    }

    /** Delivers one notification; null when delivered, else why not. */
    private String deliver(long id, String channel, String subject, String body, String payload) {
        try {
            if ("WEBHOOK".equals(channel)) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(config.webhookUrl().orElseThrow())).timeout(config.timeout())
                        .header("Content-Type", "application/json").header("X-CPO-Notification-Id", Long.toString(id))
                        .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() / 100 == 2 ? null : "webhook answered " + r.statusCode();
            }
            Mail mail = Mail.withText(String.join(",", config.emailTo().orElseThrow()), subject, body)
                    .addHeader("Message-ID", "<cpo-notification-" + id + "@cpo-platform>");
            mail.setTo(config.emailTo().orElseThrow());
            mailer.send(mail);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private Counter counter(String channel, String outcome) {
        return Counter.builder("cpo.notifications").description("Notification delivery attempts, by channel and outcome")
                .tag("channel", channel.toLowerCase(java.util.Locale.ROOT)).tag("outcome", outcome).register(registry);
    }

    /** The latest notifications, newest first. */
    public List<NotificationView> latest(int limit) throws SQLException {
        List<NotificationView> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT id, source_id, channel, kind, subject, state,"
                + " attempts, created_at, next_attempt_at, last_error, sent_at FROM notifications ORDER BY id DESC LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp sent = rs.getTimestamp(11);
                    out.add(new NotificationView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getInt(7), rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant(), rs.getString(10),
                            sent == null ? null : sent.toInstant()));
                }
            }
        }
        return out;
    }
}
