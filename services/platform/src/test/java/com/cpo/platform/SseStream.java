package com.cpo.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A Server-Sent Events reader for tests: collects every event of one stream (name, id, data) in order, as the
 * browser's EventSource would parse them, until closed.
 */
final class SseStream implements AutoCloseable {

    /** One event. */
    record Event(String name, String id, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    /** The stream of {@code url} with the test session of every role (Sessions). */
    SseStream(String url) {
        this(url, Sessions.as(Sessions.EVERY_ROLE).cookie());
    }

    /** The stream of {@code url} with this session cookie; null for none (a screen link in the URL, or nothing). */
    SseStream(String url, String sessionCookie) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (sessionCookie != null) {
            builder.header("Cookie", "quarkus-credential=" + sessionCookie);
        }
        HttpRequest request = builder.build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            status = r.statusCode();
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = r.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(name == null ? "message" : name, id, data.toString()));
                        }
                        name = null;
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                    }
                }
            } catch (RuntimeException e) {
                // closed
            }
        });
    }

    /** The HTTP status, 0 until the response headers arrived. */
    int status() {
        return status;
    }

    List<Event> events() {
        return new ArrayList<>(events);
    }

    List<Event> events(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
