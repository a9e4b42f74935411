package com.cpo.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A reverse proxy on 127.0.0.1 that serves the service under a path of its own ({@code /cpo/...} to {@code /...}), as a
 * plant's gateway does: a page that uses an absolute URL breaks behind it. Counts what it forwarded.
 */
final class PathPrefixProxy implements AutoCloseable {

    /** Headers the JDK's client sets itself, or that describe one hop only. */
    private static final Set<String> HOP = Set.of("connection", "content-length", "expect", "host", "upgrade", "keep-alive",
            "transfer-encoding", "te", "trailer", "proxy-authorization", "http2-settings");

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "path-prefix-proxy");
        t.setDaemon(true); // a forwarded event stream never ends by itself
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String prefix;
    private final URI target;
    final AtomicLong forwarded = new AtomicLong();

    PathPrefixProxy(String prefix, URI target) throws IOException {
        this.prefix = prefix;
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(prefix + "/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    /** The service's root as seen through the proxy, e.g. {@code http://127.0.0.1:41234/cpo}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI in = exchange.getRequestURI();
            String path = in.getRawPath().substring(prefix.length());
            URI out = URI.create(target + path + (in.getRawQuery() == null ? "" : "?" + in.getRawQuery()));
            byte[] body;
            try (InputStream requestBody = exchange.getRequestBody()) {
                body = requestBody.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(out).method(exchange.getRequestMethod(),
                    body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
                if (!HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                    h.getValue().forEach(v -> request.header(h.getKey(), v));
                }
            }
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.headers().map().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            forwarded.incrementAndGet();
            boolean empty = response.statusCode() == 204 || response.statusCode() == 304 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
            try (InputStream from = response.body(); OutputStream to = exchange.getResponseBody()) {
                if (!empty) {
                    from.transferTo(to);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
