package com.cpo.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real receivers of the notifications on loopback: GreenMail's SMTP server and an HTTP server taking the webhook's POSTs
 * (answering 503 while {@link #webhookDown}). Both can be taken down and brought back.
 */
public class NotificationReceivers implements QuarkusTestResourceLifecycleManager {

    /** One POST the webhook received, and what it answered. */
    public record Delivery(String notificationId, String body, int status) {
    }

    static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
    static volatile boolean webhookDown;
    static volatile GreenMail smtp;
    static ServerSetup smtpSetup;
    private static HttpServer webhook;

    @Override
    public Map<String, String> start() {
        try {
            int smtpPort;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                smtpPort = s.getLocalPort();
            }
            smtpSetup = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            startSmtp();
            webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            webhook.createContext("/alarms", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status = webhookDown ? 503 : 204;
                DELIVERIES.add(new Delivery(exchange.getRequestHeaders().getFirst("X-CPO-Notification-Id"), body, status));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            webhook.start();
            return Map.of("quarkus.mailer.port", Integer.toString(smtpPort), "cpo.notify.webhook-url",
                    "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alarms", "cpo.notify.email-to", "line-engineers@plant.example",
                    "cpo.notify.every", "1s", "cpo.notify.max-delay", "2s");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the notification receivers", e);
        }
    }

    static void startSmtp() {
        smtp = new GreenMail(smtpSetup);
        smtp.start();
    }

    static void stopSmtp() {
        smtp.stop();
    }

    @Override
    public void stop() {
        if (webhook != null) {
            webhook.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
    }
}
