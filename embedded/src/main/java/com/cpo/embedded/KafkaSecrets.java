package com.cpo.embedded;

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

import com.cpo.schemas.KafkaAccess;
import com.cpo.schemas.KafkaClientConfig;

/**
 * A line's secrets: a random password for each Kafka user, and one client-config file per user
 * ({@code kafka-<user>.properties}, readable by its owner only), which each component is pointed at through its
 * environment or a path option; no password is ever on a command line. The embedded line ({@code ./run}) makes new ones at
 * every start (its broker is new each time); {@link #main} makes a container deployment's once, on its first start.
 */
public final class KafkaSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KafkaSecrets() {
    }

    /** User to password: the admin, the analytics app, the service and one user per station. */
    public static Map<String, String> generate(List<String> stationIds) {
        Map<String, String> users = new LinkedHashMap<>();
        users.put(EmbeddedKafka.ADMIN, password());
        users.put(KafkaAccess.ANALYTICS, password());
        users.put(KafkaAccess.SERVICE, password());
        stationIds.forEach(s -> users.put(KafkaAccess.station(s), password()));
        return users;
    }

    /** 24 random bytes, URL-safe Base64: no character the JAAS or format syntax would take apart. */
    public static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes one client-config file per user into {@code dir} (owner-only); returns user to file. */
    public static Map<String, Path> write(Path dir, Map<String, String> users) {
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

    /**
     * A container deployment's secrets, made once into {@code dir} (a volume) and kept on later starts: the brokers' users
     * ({@code kafka-users.properties}, for {@link KafkaNode}), one client config per user, PostgreSQL's password
     * ({@code postgres-password}) and the service's settings ({@code service.properties}: the database password and the
     * session cookie's encryption key, shared by every service instance so a login holds on any of them). Files are
     * owner-only; {@code --uid} hands them all to the uid the components run as, {@code --owner file=uid} one file to another.
     *
     * <p>Usage: {@code KafkaSecrets <dir> --stations AA-01,BI-01 [--uid 1001] [--owner postgres-password=999]...}
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: KafkaSecrets <dir> --stations AA-01,BI-01 [--owner <file>=<uid>]...");
        }
        Path dir = Path.of(args[0]);
        List<String> stations = new java.util.ArrayList<>();
        Map<String, Integer> owners = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--stations" -> java.util.Arrays.stream(args[i + 1].split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .forEach(stations::add);
                case "--uid" -> owners.put("*", Integer.parseInt(args[i + 1]));
                case "--owner" -> owners.put(args[i + 1].substring(0, args[i + 1].indexOf('=')),
                        Integer.parseInt(args[i + 1].substring(args[i + 1].indexOf('=') + 1)));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path users = dir.resolve("kafka-users.properties");
        if (Files.exists(users)) {
            System.out.println("secrets in " + dir + " exist: kept");
            return;
        }
        Map<String, String> passwords = generate(stations);
        write(dir, passwords);
        Properties all = new Properties();
        all.putAll(passwords);
        writeSecret(dir.resolve("postgres-password"), password() + "\n");
        String database = Files.readString(dir.resolve("postgres-password")).trim();
        writeSecret(dir.resolve("service.properties"), "# generated by KafkaSecrets: the service's secrets, the same for every instance\n"
                + "quarkus.datasource.password=" + database + "\n"
                + "quarkus.http.auth.session.encryption-key=" + password() + password() + "\n");
        try (Writer out = Files.newBufferedWriter(writeSecret(users, ""), StandardCharsets.UTF_8)) {
            all.store(out, "the Kafka users of this line (generated once)");
        }
        if (owners.containsKey("*")) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.setAttribute(file, "unix:uid", owners.get("*"));
                }
            }
        }
        for (var owner : owners.entrySet()) {
            if (!owner.getKey().equals("*")) {
                Files.setAttribute(dir.resolve(owner.getKey()), "unix:uid", owner.getValue());
            }
        }
        System.out.println("secrets made in " + dir + ": Kafka users " + passwords.keySet() + ", PostgreSQL, the service");
    }

    private static Path writeSecret(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
