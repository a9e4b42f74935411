package com.cpo.platform;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

import com.cpo.schemas.KafkaClientConfig;

/**
 * The service's Kafka security settings from the same client-config file the agent and the analytics app read
 * ({@code cpo.kafka.client-config} / {@code CPO_KAFKA_CLIENT_CONFIG}, see {@link KafkaClientConfig}): each key of the file
 * becomes {@code kafka.<key>}, which every channel and the service's own clients take. Below the environment and system
 * properties (ordinal 275), above {@code application.properties}.
 */
public final class KafkaClientConfigSource implements ConfigSource {

    private final Map<String, String> values;

    public KafkaClientConfigSource() {
        Properties file = KafkaClientConfig.load(System.getenv(), System.getProperties());
        Map<String, String> map = new HashMap<>();
        file.stringPropertyNames().forEach(k -> map.put("kafka." + k, file.getProperty(k)));
        this.values = Map.copyOf(map);
    }

    @Override
    public Map<String, String> getProperties() {
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "kafka-client-config";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
