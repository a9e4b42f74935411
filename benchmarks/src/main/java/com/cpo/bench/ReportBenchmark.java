package com.cpo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import com.cpo.domain.YieldFigures;
import com.cpo.platform.persistence.RawRow;
import com.cpo.platform.report.YieldReport.FailingRow;
import com.cpo.platform.report.YieldReport.GroupRow;
import com.cpo.platform.report.YieldReport.HistogramRow;
import com.cpo.platform.report.YieldReport.LotRow;
import com.cpo.platform.report.YieldReport.OperationRow;
import com.cpo.platform.report.YieldReport.ParetoRow;
import com.cpo.platform.report.YieldReport.StatsRow;
import com.cpo.platform.report.YieldReport;
import com.cpo.platform.report.YieldWorkbook;
import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * {@code ./benchmarks/run report}: the platform service's yield workbook writer ({@link YieldWorkbook}, the
 * class the service streams reports with) writing 1,000,000 raw measurement rows, against a bare SXSSF loop
 * writing the same cells, each in its own child JVM with {@code -Xmx256m}.
 *
 * <p>The workbook goes to a stream that counts and discards bytes, so disk speed is not measured; SXSSF's
 * own temporary files (compressed, in both runs) are. Time to first byte is from the start of writing to the
 * first byte reaching the output: SXSSF emits the zip only when every row is written, so it is close to the
 * wall time by design. Peak heap is the highest heap use sampled every 5 ms; the live heap is the highest
 * use right after a collection.
 *
 * <p>The machine may be shared (builds beside the benchmark), so both run {@code bench.repeats} times,
 * alternating, and the median run of each is compared; peak heap is the highest of the writer's runs.
 *
 * <p>System properties: {@code bench.rows} (default 1,000,000), {@code bench.heap} (default 256m),
 * {@code bench.repeats} (default 3).
 */
public final class ReportBenchmark {

    private static final int CHANNELS = 16;

    private ReportBenchmark() {
    }

    public static void run() throws Exception {
        long rows = Long.getLong("bench.rows", 1_000_000L);
        String heap = System.getProperty("bench.heap", "256m");
        int repeats = Integer.getInteger("bench.repeats", 3);
        System.err.printf(Locale.ROOT, "report benchmark: %,d raw rows, -Xmx%s, writer and bare SXSSF loop alternating, "
                + "%d runs each in child JVMs; the median run of each is reported%n", rows, heap, repeats);
        List<Map<String, String>> reports = new ArrayList<>();
        List<Map<String, String>> bares = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            // Alternating, so that load from other processes on the machine falls on both alike.
            bares.add(child("bare", rows, heap));
            reports.add(child("writer", rows, heap));
        }
        Map<String, String> report = median(reports);
        Map<String, String> bare = median(bares);
        double reportSeconds = Double.parseDouble(report.get("seconds"));
        double bareSeconds = Double.parseDouble(bare.get("seconds"));
        long peakHeapMb = reports.stream().mapToLong(r -> Long.parseLong(r.get("peak_heap_mb"))).max().orElseThrow();
        System.out.println("raw_rows: " + rows);
        System.out.println("heap_limit: " + heap);
        System.out.println("report_bytes: " + report.get("bytes"));
        System.out.println("report_live_heap_after_gc_mb: " + report.get("live_heap_mb"));
        System.out.println("report_seconds_all_runs: " + reports.stream().map(r -> r.get("seconds")).toList());
        System.out.println("bare_sxssf_seconds_all_runs: " + bares.stream().map(r -> r.get("seconds")).toList());
        System.out.println("bare_sxssf_bytes: " + bare.get("bytes"));
        System.out.println("bare_sxssf_first_byte_ms: " + bare.get("first_byte_ms"));
        System.out.println("bare_sxssf_peak_heap_mb: " + bare.get("peak_heap_mb"));
        System.out.println("report_seconds: " + report.get("seconds"));
        System.out.println("first_byte_ms: " + report.get("first_byte_ms"));
        System.out.println("peak_heap_mb: " + peakHeapMb);
        System.out.println("bare_sxssf_seconds: " + bare.get("seconds"));
        System.out.println("ratio: " + String.format(Locale.ROOT, "%.2f", reportSeconds / bareSeconds));
    }

    private static Map<String, String> median(List<Map<String, String>> runs) {
        List<Map<String, String>> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(r -> Double.parseDouble(r.get("seconds"))));
        return sorted.get(sorted.size() / 2);
    }

    /** Runs one mode in a child JVM and returns its {@code name: value} lines. */
    private static Map<String, String> child(String mode, long rows, String heap) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + heap, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), ReportBenchmark.class.getName(), mode, Long.toString(rows));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> figures = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    figures.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || !figures.containsKey("seconds")) {
            throw new IllegalStateException(mode + " run failed (exit " + exit + "); its stderr is above");
        }
        return figures;
    }

    /** The child: {@code writer N}, {@code writer-bare N} (empty summary sheets) or {@code bare N}. */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long rows = Long.parseLong(args[1]);
        HeapWatch watch = new HeapWatch();
        CountingDiscard out = new CountingDiscard();
        long start = System.nanoTime();
        out.start = start;
        if (mode.startsWith("writer")) {
            AtomicLong lastReported = new AtomicLong();
            // writer-bare: the same writer with an empty report, to tell the raw-data path from the summary sheets.
            YieldReport report = mode.equals("writer-bare") ? YieldReport.of("ALIGN", Instant.now(), List.of(), List.of()) : report();
            YieldWorkbook.write(report, raw(rows), out, written -> {
                if (written - lastReported.get() >= 100_000) {
                    lastReported.set(written);
                    System.err.printf(Locale.ROOT, "  writer: %,d rows%n", written);
                }
            });
        } else {
            bare(raw(rows).iterator(), out);
        }
        long end = System.nanoTime();
        watch.stop();
        System.err.printf(Locale.ROOT, "  %s: %.2f s, %,d bytes%n", mode, (end - start) / 1e9, out.bytes);
        System.out.println("seconds: " + String.format(Locale.ROOT, "%.2f", (end - start) / 1e9));
        System.out.println("first_byte_ms: " + (out.firstByteNanos < 0 ? -1 : (out.firstByteNanos - start) / 1_000_000));
        System.out.println("bytes: " + out.bytes);
        System.out.println("peak_heap_mb: " + watch.peakUsed / (1024 * 1024));
        System.out.println("live_heap_mb: " + watch.peakAfterGc / (1024 * 1024));
        System.exit(0);
    }

    /**
     * The same cells the writer puts on "Raw data", in the plainest SXSSF loop: one sheet, the same
     * window and compressed temporary files, the same styles, nothing else.
     */
    private static void bare(Iterator<RawRow> raw, OutputStream out) throws IOException {
        SXSSFWorkbook workbook = new SXSSFWorkbook(200);
        workbook.setCompressTempFiles(true);
        try {
            CellStyle measurement = workbook.createCellStyle();
            measurement.setDataFormat(workbook.createDataFormat().getFormat("0.000"));
            CellStyle timestamp = workbook.createCellStyle();
            timestamp.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            SXSSFSheet sheet = workbook.createSheet("Raw data");
            int r = 0;
            Row header = sheet.createRow(r++);
            String[] headers = {"Serial", "Product", "Lot", "Run", "Attempt", "Station", "Run start (UTC)", "Outcome", "Step",
                "Channel", "Coupling loss (dB)", "PDL (dB)"};
            for (int c = 0; c < headers.length; c++) {
                header.createCell(c).setCellValue(headers[c]);
            }
            while (raw.hasNext()) {
                RawRow m = raw.next();
                Row row = sheet.createRow(r++);
                row.createCell(0).setCellValue(m.serial());
                row.createCell(1).setCellValue(m.product());
                row.createCell(2).setCellValue(m.lot());
                row.createCell(3).setCellValue(m.runId());
                row.createCell(4).setCellValue(m.attempt());
                row.createCell(5).setCellValue(m.station());
                Cell start = row.createCell(6);
                start.setCellValue(m.runStart().atOffset(ZoneOffset.UTC).toLocalDateTime());
                start.setCellStyle(timestamp);
                row.createCell(7).setCellValue(m.outcome());
                row.createCell(8).setCellValue(m.step());
                row.createCell(9).setCellValue(m.channel());
                Cell loss = row.createCell(10);
                loss.setCellValue(m.couplingLossDb());
                loss.setCellStyle(measurement);
                Cell pdl = row.createCell(11);
                pdl.setCellValue(m.pdlDb());
                pdl.setCellStyle(measurement);
            }
            workbook.write(out);
        } finally {
            workbook.dispose();
            workbook.close();
        }
    }

    /** Deterministic raw rows: 16 channels per unit, N(1.2, 0.25) dB coupling loss, a few bad channels. */
    private static Stream<RawRow> raw(long rows) {
        Iterator<RawRow> iterator = new Iterator<>() {
            private final SplittableRandom random = new SplittableRandom(42);
            private final Instant t0 = Instant.parse("2026-03-02T06:00:00Z");
            private long i;
            private String serial;
            private String lot;
            private String runId;
            private String station;
            private Instant start;

            @Override
            public boolean hasNext() {
                return i < rows;
            }

            @Override
            public RawRow next() {
                long unit = i / CHANNELS;
                int channel = (int) (i % CHANNELS) + 1;
                if (channel == 1) {
                    serial = String.format(Locale.ROOT, "SN%08d", unit);
                    lot = String.format(Locale.ROOT, "LOT-%04d", unit / 500);
                    runId = serial + "-ALIGN-1";
                    station = "ALN-0" + (unit % 4 + 1);
                    start = t0.plusSeconds(unit * 40);
                }
                double loss = 1.2 + 0.25 * random.nextGaussian() + (random.nextInt(1000) == 0 ? 2.0 : 0);
                double pdl = 0.05 + 0.35 * random.nextDouble();
                i++;
                return new RawRow(serial, "CPO-OE16", lot, runId, 1, station, start, loss > 2.0 ? "FAIL" : "PASS",
                        "POST_THERMAL", channel, loss, pdl);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
    }

    /** Aggregates of the size a week's report has: 125 lots, 4 stations, 3 shifts, 7 days, 16 channels × 3 steps. */
    private static YieldReport report() {
        YieldFigures f = new YieldFigures(500, 480, 495, 520, 497);
        List<LotRow> lots = new ArrayList<>();
        for (int i = 0; i < 125; i++) {
            lots.add(new LotRow("CPO-OE16", String.format(Locale.ROOT, "LOT-%04d", i), f));
        }
        List<GroupRow> stations = List.of(new GroupRow("ALN-01", f), new GroupRow("ALN-02", f), new GroupRow("ALN-03", f),
                new GroupRow("ALN-04", f));
        List<GroupRow> shifts = List.of(new GroupRow("A", f), new GroupRow("B", f), new GroupRow("C", f));
        List<GroupRow> days = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            days.add(new GroupRow("2026-03-0" + (d + 2), f));
        }
        List<StatsRow> stats = new ArrayList<>();
        for (String step : List.of("PRE_CURE", "POST_UV", "POST_THERMAL")) {
            for (int ch = 1; ch <= CHANNELS; ch++) {
                stats.add(new StatsRow("CPO-OE16", step, ch, 62_500, 1.2, 0.25, 0.1, 4.0, 0.62, 1.2, 1.52, 1.78, null, 2.0,
                        1.07, true));
            }
        }
        double[] edges = new double[50];
        long[] counts = new long[50];
        for (int b = 0; b < 50; b++) {
            edges[b] = b * 0.1;
            counts[b] = (long) (62_500 * Math.exp(-Math.pow((b * 0.1 - 1.2) / 0.25, 2) / 2));
        }
        List<FailingRow> failing = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            failing.add(new FailingRow("SN" + i, "CPO-OE16", "LOT-0001", "SN" + i + "-ALIGN-1", 1, "ALN-01", "FAIL",
                    "coupling_loss", "POST_THERMAL", 3, 2.4, null, 2.0, "dB"));
        }
        return new YieldReport("ALIGN", Instant.now(), "benchmark", List.of(new OperationRow("ALIGN", f),
                new OperationRow("BURNIN", f)), f.firstPassYield() * f.firstPassYield(), lots, stations, shifts, days,
                List.of(new ParetoRow("coupling_loss POST_THERMAL", 18), new ParetoRow("INCOMPLETE", 2)), stats,
                "POST_THERMAL", new HistogramRow(edges, 0.1, counts, 0, 60), failing, List.of(), List.of(), List.of());
    }

    /** Counts and discards what is written; notes when the first byte arrives. */
    private static final class CountingDiscard extends OutputStream {
        long start;
        long firstByteNanos = -1;
        long bytes;

        @Override
        public void write(int b) {
            write(null, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (firstByteNanos < 0 && len > 0) {
                firstByteNanos = System.nanoTime();
            }
            bytes += len;
        }
    }

    /** Highest heap use: sampled every 5 ms, and right after each collection (the live set). */
    private static final class HeapWatch {
        volatile long peakUsed;
        volatile long peakAfterGc;
        private final Thread sampler;
        private volatile boolean running = true;

        HeapWatch() {
            var memory = ManagementFactory.getMemoryMXBean();
            sampler = new Thread(() -> {
                while (running) {
                    peakUsed = Math.max(peakUsed, memory.getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            // GcInfo covers every pool, Metaspace and code cache too: count only the heap's.
            java.util.Set<String> heapPools = new java.util.HashSet<>();
            ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                    .forEach(p -> heapPools.add(p.getName()));
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        long after = heapUsed(info.getGcInfo().getMemoryUsageAfterGc(), heapPools);
                        long before = heapUsed(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools);
                        peakAfterGc = Math.max(peakAfterGc, after);
                        peakUsed = Math.max(peakUsed, before);
                    }
                }, null, null);
            }
        }

        private static long heapUsed(Map<String, MemoryUsage> pools, java.util.Set<String> heapPools) {
            return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed()).sum();
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
            peakUsed = Math.max(peakUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
    }
}
