package com.cpo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.schemas.KafkaAccess;
import com.cpo.schemas.KafkaClientConfig;

/**
 * The embedded line's Kafka users: a fresh random password for each at every start (the broker is new each time), and
 * one client-config file per user ({@code secrets/kafka-<user>.properties}, readable by its owner only), which each
 * component is pointed at through its environment or a path option; no password is ever on a command line.
 */
final class KafkaSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KafkaSecrets() {
    }

    /** User to password: the admin, the analytics app, the service and one user per station. */
    static Map<String, String> generate(List<String> stationIds) {
        Map<String, String> users = new LinkedHashMap<>();
        users.put(EmbeddedKafka.ADMIN, password());
        users.put(KafkaAccess.ANALYTICS, password());
        users.put(KafkaAccess.SERVICE, password());
        stationIds.forEach(s -> users.put(KafkaAccess.station(s), password()));
        return users;
    }

    /** 24 random bytes, URL-safe Base64: no character the JAAS or format syntax would take apart. */
    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes one client-config file per user into {@code dir} (owner-only); returns user to file. */
    static Map<String, Path> write(Path dir, Map<String, String> users) {
        Map<String, Path> files = new LinkedHashMap<>();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            for (var user : users.entrySet()) {
                Path file = dir.resolve("kafka-" + user.getKey() + ".properties");
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Properties props = KafkaClientConfig.scram(user.getKey(), user.getValue(), false);
                try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    props.store(out, "Kafka client settings of " + user.getKey() + " on the embedded broker (generated at start)");
                }
                files.put(user.getKey(), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kafka client settings into " + dir, e);
        }
        return files;
    }
}
