package com.cpo.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The agent's status endpoint, on 127.0.0.1 only: {@code GET /health} (200 or 503, with reasons),
 * {@code GET /status} (spool depth, age of the oldest unsent event, events/s, as JSON) and
 * {@code GET /metrics} (Prometheus text format).
 */
final class StatusServer implements AutoCloseable {

    private final HttpServer server;

    StatusServer(String host, int port, Health health, Supplier<Map<String, Object>> status, AgentMetrics metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the status endpoint on " + host + ":" + port, e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", ex -> {
            Map<String, String> reasons = health.reasons();
            StringBuilder json = new StringBuilder("{\"status\":\"").append(reasons.isEmpty() ? "UP" : "DOWN").append("\",\"reasons\":{");
            String sep = "";
            for (Map.Entry<String, String> r : reasons.entrySet()) {
                json.append(sep).append(quote(r.getKey())).append(':').append(quote(r.getValue()));
                sep = ",";
            }
            respond(ex, reasons.isEmpty() ? 200 : 503, "application/json", json.append("}}").toString());
        });
        server.createContext("/status", ex -> respond(ex, 200, "application/json", toJson(status.get())));
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    static String toJson(Map<String, Object> values) {
        StringBuilder json = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, Object> e : values.entrySet()) {
            json.append(sep).append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                json.append(v);
            } else if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) m;
                json.append(toJson(nested));
            } else {
                json.append(v == null ? "null" : quote(v.toString()));
            }
            sep = ",";
        }
        return json.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
