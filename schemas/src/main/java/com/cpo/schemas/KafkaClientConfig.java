package com.cpo.schemas;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a component reaches the brokers, from configuration only: a Java properties file of Kafka client settings
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, {@code config.providers*}), named by
 * {@value #FILE_KEY} (system property, or the environment's {@code CPO_KAFKA_CLIENT_CONFIG}; the agent also takes
 * {@code --kafka-client-config}). Secrets are in that file (readable by its owner only) or in the environment or other
 * files through Kafka's own config providers ({@code ${env:VAR}}, {@code ${file:/path:key}}): never on a command line,
 * where {@code ps} shows them. No file means plain connections, as on a development broker.
 *
 * <p>Only security settings are taken: a file cannot change how a component writes (acks, idempotence, transactions).
 */
public final class KafkaClientConfig {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientConfig.class);

    /** Configuration key of the file; environment {@code CPO_KAFKA_CLIENT_CONFIG}. */
    public static final String FILE_KEY = "cpo.kafka.client-config";
    /** Prefixes of the keys a client-config file may set. */
    public static final List<String> ALLOWED_PREFIXES = List.of("security.protocol", "sasl.", "ssl.", "config.providers");
    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";

    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private KafkaClientConfig() {
    }

    /** The settings of the file named by {@value #FILE_KEY}; empty when none is named. */
    public static Properties load(Map<String, String> env, Properties system) {
        String file = system.getProperty(FILE_KEY);
        if (file == null || file.isBlank()) {
            file = env.get("CPO_KAFKA_CLIENT_CONFIG");
        }
        return file == null || file.isBlank() ? new Properties() : read(Path.of(file.strip()));
    }

    /**
     * The security settings of a client-config file.
     *
     * @throws IllegalArgumentException naming the file and the key when it cannot be read or sets anything but security
     */
    public static Properties read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Kafka client config " + file + " cannot be read: " + e.getMessage(), e);
        }
        for (String key : props.stringPropertyNames()) {
            if (ALLOWED_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new IllegalArgumentException("Kafka client config " + file + ": key '" + key + "' is not a security setting; "
                        + "only keys starting with " + String.join(", ", ALLOWED_PREFIXES) + " are taken from this file");
            }
        }
        warnIfOthersMayRead(file, props);
        return props;
    }

    private static void warnIfOthersMayRead(Path file, Properties props) {
        String jaas = props.getProperty("sasl.jaas.config", "");
        if (!jaas.contains("password=\"") || jaas.contains("password=\"${")) {
            return; // no secret written in the file itself
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("Kafka client config {} holds a password and may be read by others than its owner: chmod 600 {}", file, file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot read the permissions of {}: {}", file, e.toString());
        }
    }

    /**
     * The connection settings among a component's Kafka settings ({@code bootstrap.servers} and the security keys), for
     * a client of its own beside those its framework makes (the service's dashboard feed, for example).
     */
    public static Properties connection(Map<String, ?> settings) {
        Properties props = new Properties();
        settings.forEach((key, value) -> {
            if (key.equals("bootstrap.servers") || ALLOWED_PREFIXES.stream().anyMatch(key::startsWith)) {
                props.put(key, String.valueOf(value));
            }
        });
        return props;
    }

    /** Client settings of a SCRAM-SHA-512 user over SASL ({@code SASL_SSL} when {@code tls}, else {@code SASL_PLAINTEXT}). */
    public static Properties scram(String user, String password, boolean tls) {
        if (user.contains("\"") || password.contains("\"") || password.contains("\\")) {
            throw new IllegalArgumentException("a Kafka user name or password must not contain quotes or backslashes");
        }
        Properties props = new Properties();
        props.setProperty("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
        props.setProperty("sasl.mechanism", SCRAM_SHA_512);
        props.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        return props;
    }

    /** For logs: the protocol, mechanism and user of the settings; never a secret. */
    public static String describe(Properties props) {
        String protocol = props.getProperty("security.protocol", "PLAINTEXT");
        if (!protocol.startsWith("SASL")) {
            return protocol;
        }
        Matcher user = USERNAME.matcher(props.getProperty("sasl.jaas.config", ""));
        return protocol + " " + props.getProperty("sasl.mechanism", "GSSAPI") + (user.find() ? " as " + user.group(1) : "");
    }
}
