package com.cpo.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.schemas.EventCodec;

/**
 * Picks up what the tester writes and takes it into the spool: whole alignment files ({@code *.align},
 * written under another name and renamed when complete) and burn-in logs ({@code *.burnin}) that grow
 * line by line. Events and the position reached in their source are committed together, many sources
 * per transaction (group commit), so a restart resumes exactly where the spool ends.
 *
 * <p>An alignment file is moved to the archive once its events are in the spool; a burn-in log stays
 * where the rack writes it. Malformed input goes to the quarantine folder with a {@code .reason} file
 * naming file, line and field, and everything else carries on. While the spool is over its quota
 * nothing is read: the tester's files wait on disk.
 */
final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    static final String CONCERN_SPOOL_FULL = "spool";
    static final String CONCERN_INPUT = "input";

    private final AgentConfig config;
    private final Spool spool;
    private final Health health;
    private final AgentMetrics metrics;
    private final Runnable onSpooled;

    private List<Spool.Entry> batch = new ArrayList<>();
    private List<Spool.SourceMark> marks = new ArrayList<>();
    private List<Path> toArchive = new ArrayList<>();
    private long batchBytes;
    // one group commit may run while the next batch is read and encoded: the fsync overlaps the parsing
    private final java.util.concurrent.ExecutorService committer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spool-commit");
        t.setDaemon(true);
        return t;
    });
    private java.util.concurrent.Future<?> committing;
    private volatile long committingBytes;

    Intake(AgentConfig config, Spool spool, Health health, AgentMetrics metrics, Runnable onSpooled) {
        this.config = config;
        this.spool = spool;
        this.health = health;
        this.metrics = metrics;
        this.onSpooled = onSpooled;
    }

    /** One pass over the input folder; returns how many files, lines or events it handled (0: nothing new). */
    int pollOnce() {
        if (spoolFull()) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(config.inputDir(),
                p -> p.getFileName().toString().endsWith(AlignmentFile.SUFFIX) || p.getFileName().toString().endsWith(BurnInLog.SUFFIX))) {
            dir.forEach(files::add);
            health.clear(CONCERN_INPUT);
        } catch (IOException e) {
            health.set(CONCERN_INPUT, "cannot list input folder " + config.inputDir() + ": " + e);
            throw new UncheckedIOException("cannot list " + config.inputDir(), e);
        }
        files.sort(null);
        int handled = 0;
        for (Path file : files) {
            if (spoolFull()) {
                break;
            }
            handled += file.getFileName().toString().endsWith(AlignmentFile.SUFFIX) ? takeAlignment(file) : takeBurnIn(file);
            if (batch.size() >= config.groupCommitEvents()) {
                commit();
            }
        }
        commit();
        // a pass ends with everything committed, so the next pass sees archived files gone and positions stored
        awaitCommit();
        return handled;
    }

    private boolean overQuota() {
        return spool.payloadBytes() + batchBytes + committingBytes >= config.spoolMaxBytes();
    }

    private boolean spoolFull() {
        long usable;
        try {
            usable = Files.getFileStore(config.spoolDir()).getUsableSpace();
        } catch (IOException e) {
            usable = Long.MAX_VALUE;
        }
        long pending = spool.payloadBytes() + batchBytes + committingBytes;
        if (pending >= config.spoolMaxBytes()) {
            health.set(CONCERN_SPOOL_FULL, "spool full: " + pending + " bytes of unsent events reach the quota of " + config.spoolMaxBytes()
                    + " bytes; input is not taken until Kafka acknowledges events");
            return true;
        }
        if (usable < config.spoolMinFreeDiskBytes()) {
            health.set(CONCERN_SPOOL_FULL, "disk nearly full: " + usable + " bytes free under " + config.spoolDir() + ", below the minimum of "
                    + config.spoolMinFreeDiskBytes() + "; input is not taken");
            return true;
        }
        health.clear(CONCERN_SPOOL_FULL);
        return false;
    }

    /** Hands the batch to the committer (after the previous commit finished) and starts a new one. */
    private void commit() {
        if (batch.isEmpty() && marks.isEmpty() && toArchive.isEmpty()) {
            return;
        }
        List<Spool.Entry> events = batch;
        List<Spool.SourceMark> positions = marks;
        List<Path> files = toArchive;
        long bytes = batchBytes;
        batch = new ArrayList<>();
        marks = new ArrayList<>();
        toArchive = new ArrayList<>();
        batchBytes = 0;
        awaitCommit();
        committingBytes = bytes;
        committing = committer.submit(() -> {
            spool.append(events, positions);
            committingBytes = 0;
            metrics.eventsSpooled.increment(events.size());
            for (Path file : files) {
                move(file, SafePaths.child(config.archiveDir(), file.getFileName().toString()));
                metrics.filesArchived.increment();
            }
            if (!events.isEmpty()) {
                onSpooled.run();
            }
        });
    }

    private void awaitCommit() {
        java.util.concurrent.Future<?> f = committing;
        if (f == null) {
            return;
        }
        committing = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing to the spool", e);
        } catch (java.util.concurrent.ExecutionException e) {
            committingBytes = 0;
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Lets a commit under way finish, and stops the committer. */
    void close() {
        committer.shutdown();
        try {
            committer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int takeAlignment(Path file) {
        byte[] content;
        try {
            long size = Files.size(file);
            if (size > AlignmentFile.MAX_BYTES) {
                quarantineFile(file, AlignmentFile.tooLarge(file, size).getMessage());
                return 1;
            }
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warn("cannot read {} yet: {}", file, e.toString());
            return 0;
        }
        String source = "align:" + file.getFileName();
        long checksum = crc(content);
        AlignmentFile parsed;
        try {
            parsed = AlignmentFile.parse(file, AlignmentFile.decode(file, content));
            if (!config.station().equals(parsed.header().get("station"))) {
                throw new TesterFileException(file, parsed.headerLine(), "station",
                        "'" + parsed.header().get("station") + "' is not this agent's station " + config.station());
            }
        } catch (TesterFileException e) {
            if (e.getMessage().contains("no [end] marker") && ageMs(file) < config.truncatedAfter().toMillis()) {
                return 0; // still being written by a tester that does not rename; look again later
            }
            quarantineFile(file, e.getMessage());
            return 1;
        }
        Optional<Spool.SourceMark> seen = spool.mark(source);
        if (seen.isPresent()) {
            if (seen.get().checksum() == checksum) {
                // spooled before a crash that came before the move to the archive
                toArchive.add(file);
                return 1;
            }
            quarantineFile(file, file.getFileName() + ": a file of this name with other content was taken before; its event ids would "
                    + "collide (a tester must not reuse a result file name)");
            return 1;
        }
        for (SpecificRecord event : EventMapper.events(parsed)) {
            batch.add(entry(event, parsed.serial()));
        }
        marks.add(new Spool.SourceMark(source, content.length, parsed.endLine(), checksum));
        toArchive.add(file);
        return 1;
    }

    private int takeBurnIn(Path file) {
        String source = "burnin:" + file.getFileName();
        Spool.SourceMark mark = pendingMark(source).orElseGet(() -> spool.mark(source).orElse(new Spool.SourceMark(source, 0, 1, 0)));
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return 0;
        }
        if (size < mark.position()) {
            health.set("log:" + file.getFileName(), file.getFileName() + " is shorter (" + size + " bytes) than the position already read ("
                    + mark.position() + "); a burn-in log must only be appended to. Rename the new log.");
            return 0;
        }
        health.clear("log:" + file.getFileName());
        int handled = 0;
        long position = mark.position();
        long line = mark.line();
        while (position < size && batch.size() < config.groupCommitEvents() && !spoolFull()) {
            BurnInLog.Chunk chunk;
            try {
                chunk = BurnInLog.read(file, position, line);
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", file, e.toString());
                break;
            }
            if (chunk.lines().isEmpty()) {
                break; // only a partial line so far: the rack is still writing it
            }
            List<BurnInLog.Line> lines = chunk.lines();
            int taken = 0;
            for (BurnInLog.Line l : lines) {
                try {
                    BurnInLog.Record record = BurnInLog.parse(file, l);
                    if (record != null) {
                        batch.add(entry(EventMapper.event(config.station(), file, record), record.serial()));
                    }
                } catch (TesterFileException e) {
                    quarantineLine(file, l, e.getMessage());
                }
                handled++;
                taken++;
                if (taken < lines.size() && (batch.size() >= config.groupCommitEvents() || overQuota())) {
                    break; // the rest of the chunk is read again next time, from its position
                }
            }
            position = taken < lines.size() ? lines.get(taken).offset() : chunk.nextPosition();
            line = taken < lines.size() ? lines.get(taken).number() : chunk.nextLine();
            marks.removeIf(m -> m.source().equals(source));
            marks.add(new Spool.SourceMark(source, position, line, 0));
            if (batch.size() >= config.groupCommitEvents()) {
                commit();
            }
        }
        return handled;
    }

    private Optional<Spool.SourceMark> pendingMark(String source) {
        return marks.stream().filter(m -> m.source().equals(source)).findFirst();
    }

    private Spool.Entry entry(SpecificRecord event, String key) {
        long timeMs = event.get(1) instanceof Instant t ? t.toEpochMilli() : 0;
        byte[] payload = encode(event);
        batchBytes += payload.length;
        return new Spool.Entry(((SpecificRecordBase) event).get("eventId").toString(), key, payload, timeMs);
    }

    /**
     * The schema module's single-object encoding (what {@link EventCodec#encode} writes: magic, schema
     * fingerprint, Avro binary body), through the generated class's own cached encoder: the codec builds a
     * datum writer per call, which costs more than the rest of a burn-in line's handling. Equality of the
     * bytes is checked by a test.
     */
    static byte[] encode(SpecificRecord event) {
        if (event instanceof com.cpo.events.BurnInReading r) {
            try {
                ByteBuffer buffer = r.toByteBuffer();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return EventCodec.standard().encode(event);
    }

    /**
     * Moves a bad file aside with its reason. A name already in the quarantine gets a number ({@code NAME~2}): a second
     * bad file of the same name never replaces the first one's evidence.
     */
    private void quarantineFile(Path file, String reason) {
        Path target = freeName(config.quarantineDir(), file.getFileName().toString());
        move(file, target);
        writeReason(SafePaths.child(config.quarantineDir(), target.getFileName() + ".reason"), file, reason);
        metrics.filesQuarantined.increment();
        LOG.warn("quarantined {} as {}: {}", file.getFileName(), target.getFileName(), reason);
    }

    /** A bad log line is copied out (the log itself stays where the rack appends to it). */
    private void quarantineLine(Path file, BurnInLog.Line line, String reason) {
        Path target = freeName(config.quarantineDir(), file.getFileName() + ".line" + line.number());
        try {
            Files.writeString(target, line.text() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("cannot copy bad line {} of {} to quarantine: {}", line.number(), file, e.toString());
        }
        String name = target.getFileName().toString();
        writeReason(SafePaths.child(config.quarantineDir(), name + ".reason"), file, reason);
        metrics.linesQuarantined.increment();
        LOG.warn("quarantined line {} of {}: {}", line.number(), file.getFileName(), reason);
    }

    private static void writeReason(Path target, Path file, String reason) {
        try {
            Files.writeString(target, "file: " + file + "\nquarantined: " + Instant.now() + "\nreason: " + reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("cannot write reason {}: {}", target, e.toString());
        }
    }

    /** {@code dir/name}, or {@code dir/name~2}, {@code ~3}, ... when that is taken (with or without its reason). */
    static Path freeName(Path dir, String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Path candidate = SafePaths.child(dir, name);
        for (int n = 2; Files.exists(candidate) || Files.exists(SafePaths.child(dir, candidate.getFileName() + ".reason")); n++) {
            candidate = SafePaths.child(dir, name + "~" + n);
        }
        return candidate;
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    static long crc(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return crc.getValue();
    }

    private static long ageMs(Path file) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
