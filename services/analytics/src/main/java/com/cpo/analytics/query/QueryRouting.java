package com.cpo.analytics.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Answers for every key when the application runs as several instances: this instance's rows, and the rows of every
 * other instance that has an active part of the store, asked with {@code local=true} at the address it advertises
 * ({@code application.server}); instances are compared by host and port. An instance that does not answer makes the
 * whole answer a 503 (an {@link InvalidStateStoreException}): a partial answer would look complete.
 */
final class QueryRouting {

    /** Rows of this instance's stores. */
    interface Rows {
        List<Map<String, Object>> get() throws Exception;
    }

    private final KafkaStreams streams;
    private final HostInfo self;
    private final ObjectMapper json;
    private final HttpClient peers = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    QueryRouting(KafkaStreams streams, HostInfo self, ObjectMapper json) {
        this.streams = streams;
        this.self = self;
        this.json = json;
    }

    List<Map<String, Object>> everywhere(String store, URI request, Rows local) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>(local.get());
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (instance.hostInfo().equals(self) || !instance.stateStoreNames().contains(store)) {
                continue;
            }
            String query = request.getRawQuery();
            URI uri = URI.create("http://" + instance.host() + ":" + instance.port() + request.getRawPath() + "?"
                    + (query == null || query.isEmpty() ? "" : query + "&") + "local=true");
            HttpResponse<byte[]> answer;
            try {
                answer = peers.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new InvalidStateStoreException("the instance on " + instance.hostInfo() + " that owns part of " + store
                        + " does not answer: " + e);
            }
            if (answer.statusCode() != 200) {
                throw new InvalidStateStoreException("the instance on " + instance.hostInfo() + " answered " + answer.statusCode() + ": "
                        + new String(answer.body(), StandardCharsets.UTF_8));
            }
            rows.addAll(json.readValue(answer.body(), new TypeReference<List<Map<String, Object>>>() { }));
        }
        return rows;
    }
}
