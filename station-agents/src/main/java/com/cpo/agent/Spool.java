package com.cpo.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's durable spool: an SQLite database in WAL mode with {@code synchronous=FULL}, so a
 * transaction is on disk (WAL fsynced) when {@link #append} returns. An event is taken only by
 * {@link #append}, together with the position in its source file, in one transaction: after a crash
 * either both are there or neither, and the source is read again from the remembered position. An
 * event leaves only by {@link #delete}, called once Kafka acknowledged it.
 *
 * <p>Events are stored in blocks (see {@link Row}), each with a CRC32C checked whenever it is read:
 * SQLite's WAL frame checksums already discard a torn write of an uncommitted transaction on recovery,
 * the block checksum catches what a disk corrupts later.
 *
 * <p>Thread-safe: writes go through one connection under a lock, reads use their own connection (WAL
 * lets them run beside a write).
 */
public final class Spool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    public static final String FILE_NAME = "spool.db";

    /** An event to take: its id, Kafka key, encoded payload and event time. */
    public record Entry(String eventId, String key, byte[] payload, long eventTimeMs) {
    }

    /** An event read back from the spool: its Kafka key (UTF-8) and encoded payload. */
    public record Event(byte[] key, byte[] payload) {
    }

    /**
     * A block of events in the spool, stored as one row: the events of one group commit are packed into
     * blocks of up to {@link #BLOCK_EVENTS}, so the database does one insert, read and delete per block
     * instead of per event. A block leaves the spool once Kafka acknowledged every event in it.
     */
    public record Row(long seq, String firstEventId, List<Event> events, long payloadBytes) {
    }

    static final int BLOCK_EVENTS = 512;

    /**
     * Where reading a source stopped: the byte position and 1-based line reached, and a checksum of
     * what was read (used for whole files, to recognise the same file again).
     */
    public record SourceMark(String source, long position, long line, long checksum) {
    }

    private final Path dir;
    private final String url;
    /** Replaced when a failed write leaves the driver out of step with SQLite (see {@link #rollback}). */
    private Connection writer;
    private final Connection reader;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong payloadBytes = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final Object writeLock = new Object();
    // the reader connection is shared by the publisher and the status endpoint; one statement at a time
    private final Object readLock = new Object();

    private Spool(Path dir, String url, Connection writer, Connection reader) {
        this.dir = dir;
        this.url = url;
        this.writer = writer;
        this.reader = reader;
    }

    /**
     * Opens (or creates) the spool in {@code dir}. Opening runs SQLite's recovery of the WAL (a torn
     * last transaction is dropped) and a {@code quick_check}; a database that fails it is moved aside
     * and a new one started, so the agent runs on and says so in its log.
     */
    public static Spool open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spool folder " + dir, e);
        }
        Path db = dir.resolve(FILE_NAME);
        if (System.getProperty("org.sqlite.tmpdir") == null) {
            // the driver unpacks its native library there; java.io.tmpdir may be missing or noexec on a tester PC
            Path natives = dir.resolve("native");
            try {
                Files.createDirectories(natives);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + natives, e);
            }
            System.setProperty("org.sqlite.tmpdir", natives.toAbsolutePath().toString());
        }
        try {
            Spool spool = openAt(dir, db);
            String check = spool.quickCheck();
            if (!"ok".equals(check)) {
                spool.close();
                Path aside = dir.resolve(FILE_NAME + ".corrupt-" + System.currentTimeMillis());
                LOG.error("spool {} failed its integrity check ({}); moved aside to {} and starting a new one", db, check, aside);
                Files.move(db, aside);
                for (String suffix : List.of("-wal", "-shm")) {
                    Files.deleteIfExists(dir.resolve(FILE_NAME + suffix));
                }
                spool = openAt(dir, db);
            }
            return spool;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open spool " + db + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move corrupt spool " + db + " aside", e);
        }
    }

    private static Spool openAt(Path dir, Path db) throws SQLException {
        String url = "jdbc:sqlite:" + db.toAbsolutePath();
        Connection writer = writerConnection(url);
        try (Statement s = writer.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, first_event_id TEXT NOT NULL, "
                    + "event_count INTEGER NOT NULL, payload_bytes INTEGER NOT NULL, block BLOB NOT NULL, crc INTEGER NOT NULL, "
                    + "first_event_time_ms INTEGER NOT NULL, spooled_ms INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, position INTEGER NOT NULL, line INTEGER NOT NULL, "
                    + "checksum INTEGER NOT NULL, updated_ms INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS corrupt_events (seq INTEGER PRIMARY KEY, event_id TEXT, event_count INTEGER NOT NULL, "
                    + "found_ms INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS consumer_offsets (topic TEXT NOT NULL, partition INTEGER NOT NULL, "
                    + "next_offset INTEGER NOT NULL, PRIMARY KEY (topic, partition))");
            s.execute("CREATE TABLE IF NOT EXISTS verdicts_written (event_id TEXT PRIMARY KEY, file TEXT NOT NULL, written_ms INTEGER NOT NULL)");
        }
        writer.commit();
        Connection reader = DriverManager.getConnection(url);
        try (Statement s = reader.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA cache_size=-32768");
        }
        Spool spool = new Spool(dir, url, writer, reader);
        spool.loadCounters();
        return spool;
    }

    private String quickCheck() throws SQLException {
        synchronized (writeLock) {
            try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                StringBuilder out = new StringBuilder();
                while (rs.next()) {
                    out.append(out.length() > 0 ? "; " : "").append(rs.getString(1));
                }
                writer.commit();
                return out.toString();
            }
        }
    }

    private void loadCounters() throws SQLException {
        synchronized (writeLock) {
            try (Statement s = writer.createStatement();
                    ResultSet rs = s.executeQuery("SELECT coalesce(sum(event_count), 0), coalesce(sum(payload_bytes), 0) FROM events")) {
                rs.next();
                depth.set(rs.getLong(1));
                payloadBytes.set(rs.getLong(2));
            }
            try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(sum(event_count), 0) FROM corrupt_events")) {
                rs.next();
                corrupt.set(rs.getLong(1));
            }
            writer.commit();
        }
    }

    static long checksum(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block);
        return crc.getValue();
    }

    /** A block: per event a 2-byte key length, the UTF-8 key, a 4-byte payload length and the payload. */
    static byte[] pack(List<Entry> entries, int from, int to) {
        int size = 0;
        byte[][] keys = new byte[to - from][];
        for (int i = from; i < to; i++) {
            keys[i - from] = entries.get(i).key().getBytes(StandardCharsets.UTF_8);
            size += 6 + keys[i - from].length + entries.get(i).payload().length;
        }
        java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(size);
        for (int i = from; i < to; i++) {
            block.putShort((short) keys[i - from].length).put(keys[i - from]);
            block.putInt(entries.get(i).payload().length).put(entries.get(i).payload());
        }
        return block.array();
    }

    static List<Event> unpack(byte[] block) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(block);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] key = new byte[in.getShort() & 0xFFFF];
            in.get(key);
            byte[] payload = new byte[in.getInt()];
            in.get(payload);
            events.add(new Event(key, payload));
        }
        return events;
    }

    /**
     * Takes events and advances source positions in one durable transaction (group commit: callers
     * gather many events per call). When it returns, the events survive a crash of the agent or the PC.
     */
    public void append(List<Entry> entries, List<SourceMark> marks) {
        if (entries.isEmpty() && marks.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        long bytes = 0;
        synchronized (writeLock) {
            try {
                try (PreparedStatement insert = writer.prepareStatement("INSERT INTO events (first_event_id, event_count, payload_bytes, block, "
                        + "crc, first_event_time_ms, spooled_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (int from = 0; from < entries.size(); from += BLOCK_EVENTS) {
                        int to = Math.min(entries.size(), from + BLOCK_EVENTS);
                        byte[] block = pack(entries, from, to);
                        long blockBytes = 0;
                        for (int i = from; i < to; i++) {
                            blockBytes += entries.get(i).payload().length;
                        }
                        insert.setString(1, entries.get(from).eventId());
                        insert.setInt(2, to - from);
                        insert.setLong(3, blockBytes);
                        insert.setBytes(4, block);
                        insert.setLong(5, checksum(block));
                        insert.setLong(6, entries.get(from).eventTimeMs());
                        insert.setLong(7, now);
                        insert.addBatch();
                        bytes += blockBytes;
                    }
                    insert.executeBatch();
                }
                saveMarks(marks, now);
                writer.commit();
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException("cannot write to the spool in " + dir + ": " + e.getMessage(), e);
            }
        }
        depth.addAndGet(entries.size());
        payloadBytes.addAndGet(bytes);
    }

    private void saveMarks(List<SourceMark> marks, long now) throws SQLException {
        try (PreparedStatement upsert = writer.prepareStatement(
                "INSERT INTO sources (source, position, line, checksum, updated_ms) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT(source) DO UPDATE SET position = excluded.position, line = excluded.line, "
                        + "checksum = excluded.checksum, updated_ms = excluded.updated_ms")) {
            for (SourceMark m : marks) {
                upsert.setString(1, m.source());
                upsert.setLong(2, m.position());
                upsert.setLong(3, m.line());
                upsert.setLong(4, m.checksum());
                upsert.setLong(5, now);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Where reading {@code source} stopped, if it was ever read. */
    public Optional<SourceMark> mark(String source) {
        synchronized (writeLock) {
            try (PreparedStatement q = writer.prepareStatement("SELECT position, line, checksum FROM sources WHERE source = ?")) {
                q.setString(1, source);
                try (ResultSet rs = q.executeQuery()) {
                    Optional<SourceMark> result = rs.next() ? Optional.of(new SourceMark(source, rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                            : Optional.empty();
                    writer.commit();
                    return result;
                }
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException("cannot read source position: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Up to {@code limit} blocks after {@code afterSeq}, oldest first. A block whose checksum does not
     * match is moved to {@code corrupt_events} (and counted), never sent.
     */
    public List<Row> next(long afterSeq, int limit) {
        List<Row> rows = new ArrayList<>();
        List<long[]> bad = new ArrayList<>();
        Map<Long, String> badIds = new HashMap<>();
        synchronized (readLock) {
            try (PreparedStatement q = reader.prepareStatement(
                    "SELECT seq, first_event_id, event_count, payload_bytes, block, crc FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                q.setLong(1, afterSeq);
                q.setInt(2, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        byte[] block = rs.getBytes(5);
                        List<Event> events = null;
                        if (block != null && checksum(block) == rs.getLong(6)) {
                            try {
                                events = unpack(block);
                            } catch (RuntimeException e) {
                                events = null;
                            }
                        }
                        if (events == null || events.size() != rs.getInt(3)) {
                            bad.add(new long[] {seq, rs.getLong(4), rs.getInt(3)});
                            badIds.put(seq, rs.getString(2));
                        } else {
                            rows.add(new Row(seq, rs.getString(2), events, rs.getLong(4)));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the spool: " + e.getMessage(), e);
            }
        }
        if (!bad.isEmpty()) {
            quarantineCorrupt(bad, badIds);
        }
        return rows;
    }

    private void quarantineCorrupt(List<long[]> bad, Map<Long, String> ids) {
        synchronized (writeLock) {
            try (PreparedStatement ins = writer.prepareStatement(
                    "INSERT OR REPLACE INTO corrupt_events (seq, event_id, event_count, found_ms) VALUES (?, ?, ?, ?)");
                    PreparedStatement del = writer.prepareStatement("DELETE FROM events WHERE seq = ?")) {
                for (long[] b : bad) {
                    ins.setLong(1, b[0]);
                    ins.setString(2, ids.get(b[0]));
                    ins.setLong(3, b[2]);
                    ins.setLong(4, System.currentTimeMillis());
                    ins.addBatch();
                    del.setLong(1, b[0]);
                    del.addBatch();
                }
                ins.executeBatch();
                del.executeBatch();
                writer.commit();
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException("cannot set corrupt spool blocks aside: " + e.getMessage(), e);
            }
        }
        for (long[] b : bad) {
            depth.addAndGet(-b[2]);
            payloadBytes.addAndGet(-b[1]);
            corrupt.addAndGet(b[2]);
            LOG.error("spool block {} ({} events from {}) fails its checksum: set aside in corrupt_events, not sent", b[0], b[2], ids.get(b[0]));
        }
    }

    /**
     * Removes blocks whose every event Kafka acknowledged; {@code events} and {@code bytes} are their total
     * event count and payload size. Acknowledgements come nearly in spool order, so the sequence numbers
     * are deleted as ranges.
     */
    public void delete(long[] seqs, int count, long events, long bytes) {
        if (count == 0) {
            return;
        }
        java.util.Arrays.sort(seqs, 0, count);
        synchronized (writeLock) {
            try (PreparedStatement del = writer.prepareStatement("DELETE FROM events WHERE seq BETWEEN ? AND ?")) {
                int removed = 0;
                int i = 0;
                while (i < count) {
                    int j = i;
                    while (j + 1 < count && seqs[j + 1] == seqs[j] + 1) {
                        j++;
                    }
                    del.setLong(1, seqs[i]);
                    del.setLong(2, seqs[j]);
                    removed += Math.max(del.executeUpdate(), 0);
                    i = j + 1;
                }
                writer.commit();
                if (removed == count) {
                    depth.addAndGet(-events);
                    payloadBytes.addAndGet(-bytes);
                } else {
                    loadCounters();
                }
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException("cannot delete acknowledged events from the spool: " + e.getMessage(), e);
            }
        }
    }

    /** Consumer offsets kept with the spool, so what the agent did and how far it read commit together. */
    public Map<Integer, Long> consumerOffsets(String topic) {
        Map<Integer, Long> offsets = new HashMap<>();
        synchronized (writeLock) {
            try (PreparedStatement q = writer.prepareStatement("SELECT partition, next_offset FROM consumer_offsets WHERE topic = ?")) {
                q.setString(1, topic);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        offsets.put(rs.getInt(1), rs.getLong(2));
                    }
                }
                writer.commit();
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException("cannot read consumer offsets: " + e.getMessage(), e);
            }
        }
        return offsets;
    }

    /** Records verdict files written (by verdict event id) and the offsets consumed, in one transaction. */
    public void recordVerdicts(String topic, Map<Integer, Long> nextOffsets, Map<String, String> filesByEventId) {
        synchronized (writeLock) {
            try (PreparedStatement off = writer.prepareStatement(
                    "INSERT INTO consumer_offsets (topic, partition, next_offset) VALUES (?, ?, ?) "
                            + "ON CONFLICT(topic, partition) DO UPDATE SET next_offset = excluded.next_offset");
                    PreparedStatement written = writer.prepareStatement(
                            "INSERT OR REPLACE INTO verdicts_written (event_id, file, written_ms) VALUES (?, ?, ?)")) {
                for (Map.Entry<Integer, Long> e : nextOffsets.entrySet()) {
                    off.setString(1, topic);
                    off.setInt(2, e.getKey());
                    off.setLong(3, e.getValue());
                    off.addBatch();
                }
                off.executeBatch();
                for (Map.Entry<String, String> e : filesByEventId.entrySet()) {
                    written.setString(1, e.getKey());
                    written.setString(2, e.getValue());
                    written.setLong(3, System.currentTimeMillis());
                    written.addBatch();
                }
                written.executeBatch();
                writer.commit();
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException("cannot record verdicts: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the verdict with this event id was recorded as written. */
    public boolean verdictWritten(String eventId) {
        synchronized (writeLock) {
            try (PreparedStatement q = writer.prepareStatement("SELECT 1 FROM verdicts_written WHERE event_id = ?")) {
                q.setString(1, eventId);
                try (ResultSet rs = q.executeQuery()) {
                    boolean found = rs.next();
                    writer.commit();
                    return found;
                }
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException("cannot read verdicts written: " + e.getMessage(), e);
            }
        }
    }

    /** Events waiting for Kafka's acknowledgement. */
    public long depth() {
        return depth.get();
    }

    /** Payload bytes of the events waiting: what the quota bounds. */
    public long payloadBytes() {
        return payloadBytes.get();
    }

    /** Events in blocks found corrupt (checksum mismatch) since the spool was created. */
    public long corrupt() {
        return corrupt.get();
    }

    /** When the oldest waiting event was spooled (epoch ms), or -1 when none waits. */
    public long oldestSpooledMs() {
        synchronized (readLock) {
            try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT spooled_ms FROM events ORDER BY seq LIMIT 1")) {
                return rs.next() ? rs.getLong(1) : -1;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the spool: " + e.getMessage(), e);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** Caps the database's size in pages on the writing connection: the test's way to fill the disk. */
    void capPagesForTest(long pages) {
        synchronized (writeLock) {
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA max_page_count=" + pages);
                writer.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The writing connection, WAL and synchronous=FULL, in manual commit. */
    private static Connection writerConnection(String url) throws SQLException {
        Connection writer = DriverManager.getConnection(url);
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=10000");
            // fewer, larger checkpoints: each one syncs the database file
            s.execute("PRAGMA wal_autocheckpoint=8192");
            s.execute("PRAGMA cache_size=-32768");
        }
        writer.setAutoCommit(false);
        return writer;
    }

    /**
     * Undoes a failed transaction. When the rollback fails too, SQLite has already rolled the transaction back by itself
     * (it does after SQLITE_FULL or an I/O error) while the driver still believes one is open, and every later statement
     * would fail ("cannot commit - no transaction is active"): the writing connection is then replaced. Nothing is lost:
     * what the transaction held is read again from its source, whose position was in the same transaction.
     */
    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed ({}); reopening the spool's writing connection", e.toString());
            try {
                writer.close();
            } catch (SQLException ignored) {
                // it is being replaced
            }
            try {
                writer = writerConnection(url);
            } catch (SQLException reopen) {
                LOG.error("cannot reopen the spool's writing connection: {}", reopen.toString());
            }
        }
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            try {
                synchronized (readLock) {
                    reader.close();
                }
                writer.close();
            } catch (SQLException e) {
                LOG.warn("closing the spool: {}", e.toString());
            }
        }
    }
}
