package com.cpo.systemtest.containers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.events.Verdict;
import com.cpo.launcher.ServiceSession;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.ExampleLimitSets;
import com.cpo.schemas.Topics;
import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.systemtest.FaultRun;
import com.cpo.systemtest.Ledger;
import com.cpo.systemtest.Truth;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The line as containers ({@link ContainerLine}) under a simulated station's load: first both analytics instances are
 * shown to answer for every key (each holding only part of the stores), then four faults while the load runs, each proved: the leader of a station-events partition killed ({@code docker kill}, exit 137) and restarted; another
 * broker cut off the network (it leaves the partitions' in-sync replicas) and connected again; an analytics instance
 * killed while the other takes over its partitions; a service instance killed while the other keeps answering through
 * the one address. Then the {@link Ledger} of "Exactly once, proven…" checks every boundary.
 */
public final class ContainerFaultRun {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerFaultRun.class);
    public static final String STATION = "AA-01";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a run found.
     *
     * @param report the ledger's report
     * @param proof what proves each fault happened
     * @param problems failed checks of the faults themselves (a service request refused while the other instance was up…)
     * @param brokerFailoverSeconds from the leader's kill to a new leader of its partition
     * @param analyticsFailoverSeconds from the analytics instance's kill to the committed verdict of the first run written after it
     * @param serviceRequestsFailed requests through the one address that failed in the 20 s after a service instance's kill
     * @param seconds the whole run, start-up included
     */
    public record Result(Ledger.Report report, List<String> proof, List<String> problems, double brokerFailoverSeconds,
            double analyticsFailoverSeconds, int serviceRequestsFailed, double seconds) {
    }

    private ContainerFaultRun() {
    }

    /**
     * Runs the line under load with the four faults.
     *
     * @param units alignment units the station tests (retests follow)
     * @param unitsPerMinute the station's pace
     */
    public static Result run(Path projectRoot, Path work, long seed, int units, double unitsPerMinute, Duration settleTimeout) throws Exception {
        long started = System.nanoTime();
        List<String> proof = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        AlignmentSimulator simulator = new AlignmentSimulator(AlignmentSimulator.Config.defaults(seed).withStation(STATION)
                .withSimulatedStart(FaultRun.T0));
        List<SimulatedRun> runs = simulator.runUnits(units);
        try (ContainerLine line = ContainerLine.start(projectRoot, work, List.of(STATION))) {
            List<SimulatedRun> written = new CopyOnWriteArrayList<>();
            long pauseMs = (long) (60_000 / unitsPerMinute * units / runs.size());
            Thread tester = new Thread(() -> {
                for (SimulatedRun run : runs) {
                    simulator.write(run, line.stationInput(STATION));
                    written.add(run);
                    try {
                        Thread.sleep(pauseMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "simulated-tester");
            long loadStarted = System.nanoTime();
            tester.start();
            double loadSeconds = runs.size() * pauseMs / 1000.0;
            double brokerFailover;
            double analyticsFailover;
            int serviceFailures;
            try (Admin admin = admin(line)) {
                atLoad(loadStarted, loadSeconds, 0.10);
                checkRouting(line, proof, problems);
                atLoad(loadStarted, loadSeconds, 0.15);
                brokerFailover = killLeader(line, admin, proof, problems);
                atLoad(loadStarted, loadSeconds, 0.35);
                cutOff(line, admin, proof, problems);
                atLoad(loadStarted, loadSeconds, 0.55);
                analyticsFailover = killAnalytics(line, proof, problems);
                atLoad(loadStarted, loadSeconds, 0.75);
                serviceFailures = killService(line, proof, problems);
            }
            tester.join();
            Truth truth = Truth.of(written, Map.of(), ExampleLimitSets.all());
            settle(line, truth.runCount(), settleTimeout);
            Ledger ledger = new Ledger(truth, line.bootstrapServers(), line.adminLogin(), line.database(), line.analyticsUrl(2), line.session());
            Ledger.Report report = ledger.check();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!report.clean() && System.nanoTime() < deadline) {
                Thread.sleep(5000);
                report = ledger.check();
            }
            Result result = new Result(report, proof, problems, brokerFailover, analyticsFailover, serviceFailures,
                    (System.nanoTime() - started) / 1e9);
            LOG.info("container run done in {} s: {}", Math.round(result.seconds()), result);
            return result;
        }
    }

    private static Admin admin(ContainerLine line) {
        Properties props = line.adminLogin();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, line.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    private static void atLoad(long loadStarted, double loadSeconds, double fraction) throws InterruptedException {
        long wait = loadStarted + (long) (loadSeconds * fraction * 1e9) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }

    private static TopicPartitionInfo partition(Admin admin, String topic, int partition) throws InterruptedException, ExecutionException {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return d.partitions().get(partition);
    }

    private static int leaderId(TopicPartitionInfo p) {
        return p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id();
    }

    /** Kills the leader of station-events partition 0; returns the seconds until the partition had a new leader. */
    private static double killLeader(ContainerLine line, Admin admin, List<String> proof, List<String> problems) throws Exception {
        String topic = Topics.STATION_EVENTS.name();
        int leader = leaderId(partition(admin, topic, 0));
        long killed = System.nanoTime();
        long exit = line.kill("kafka-" + leader);
        int now = leader;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((now == leader || now < 0) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try {
                now = leaderId(partition(admin, topic, 0));
            } catch (ExecutionException e) {
                now = -1;
            }
        }
        double failover = (System.nanoTime() - killed) / 1e9;
        proof.add("broker kafka-" + leader + ", leader of " + topic + "-0, killed: exit " + exit + "; kafka-" + now + " leads after "
                + String.format("%.1f s", failover));
        if (exit != 137) {
            problems.add("kafka-" + leader + " ended with " + exit + ", not 137 (SIGKILL)");
        }
        if (now == leader || now < 0) {
            problems.add(topic + "-0 had no new leader 60 s after kafka-" + leader + " was killed");
        }
        Thread.sleep(10_000);
        line.restart("kafka-" + leader);
        awaitBrokers(admin, 3, Duration.ofSeconds(120), problems);
        return failover;
    }

    private static void awaitBrokers(Admin admin, int count, Duration timeout, List<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            try {
                seen = admin.describeCluster().nodes().get().size();
                if (seen >= count) {
                    return;
                }
            } catch (ExecutionException e) {
                seen = -1;
            }
            Thread.sleep(1000);
        }
        problems.add("the cluster had " + seen + " brokers, not " + count + ", " + timeout.toSeconds() + " s after the restart");
    }

    /** Cuts a broker that is not the controller's choice of leader for partition 1 off the network for 20 s. */
    private static void cutOff(ContainerLine line, Admin admin, List<String> proof, List<String> problems) throws Exception {
        String topic = Topics.STATION_EVENTS.name();
        TopicPartitionInfo p1 = partition(admin, topic, 1);
        int victim = p1.replicas().stream().map(Node::id).filter(id -> id != leaderId(p1)).findFirst().orElse(1);
        line.disconnect("kafka-" + victim);
        boolean cut = !line.connected("kafka-" + victim);
        boolean leftIsr = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!leftIsr && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            try {
                leftIsr = partition(admin, topic, 1).isr().stream().noneMatch(n -> n.id() == victim);
            } catch (ExecutionException e) {
                // the admin may be talking to the cut-off node: ask again
            }
        }
        Thread.sleep(5000);
        line.reconnect("kafka-" + victim);
        proof.add("broker kafka-" + victim + " cut off the network (attached: " + !cut + "); it "
                + (leftIsr ? "left" : "did not leave") + " the in-sync replicas of " + topic + "-1; connected again");
        if (!cut || !leftIsr) {
            problems.add("kafka-" + victim + " was not cut off (attached " + !cut + ", left the ISR " + leftIsr + ")");
        }
        awaitBrokers(admin, 3, Duration.ofSeconds(120), problems);
    }

    /**
     * Kills analytics-1; returns the seconds from the kill until, in every partition of station-events, the first run
     * completed after the kill has its committed verdict: the longest the line waited for a verdict while analytics-2 took
     * over the partitions analytics-1 had (a run in a partition analytics-2 already owned is judged at once).
     */
    private static double killAnalytics(ContainerLine line, List<String> proof, List<String> problems) throws Exception {
        Properties props = line.adminLogin();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, line.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        EventCodec codec = EventCodec.standard();
        try (KafkaConsumer<String, byte[]> events = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<String, byte[]> verdicts = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> eventPartitions = fromEnd(events, Topics.STATION_EVENTS.name());
            fromEnd(verdicts, Topics.VERDICTS.name());
            long killed = System.nanoTime();
            long exit = line.kill("analytics-1");
            Map<Integer, String> firstAfterKill = new java.util.TreeMap<>();
            Map<String, Long> judgedAt = new java.util.HashMap<>();
            long deadline = killed + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline && !(firstAfterKill.size() == eventPartitions.size()
                    && judgedAt.keySet().containsAll(firstAfterKill.values()))) {
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
                    if (!firstAfterKill.containsKey(r.partition()) && codec.decode(r.value()) instanceof com.cpo.events.RunCompleted end) {
                        firstAfterKill.put(r.partition(), end.getRunId());
                    }
                }
                for (ConsumerRecord<String, byte[]> r : verdicts.poll(Duration.ofMillis(100))) {
                    judgedAt.putIfAbsent(codec.decode(r.value(), Verdict.class).getRunId(), System.nanoTime());
                }
            }
            boolean complete = firstAfterKill.size() == eventPartitions.size() && judgedAt.keySet().containsAll(firstAfterKill.values());
            double failover = complete ? (firstAfterKill.values().stream().mapToLong(judgedAt::get).max().orElseThrow() - killed) / 1e9 : -1;
            proof.add("analytics-1 killed: exit " + exit + "; in each of the " + eventPartitions.size()
                    + " station-events partitions the first run completed after it was judged (by analytics-2) within "
                    + String.format("%.1f s", failover) + " " + firstAfterKill.values());
            if (exit != 137) {
                problems.add("analytics-1 ended with " + exit + ", not 137");
            }
            if (!complete) {
                problems.add("3 minutes after analytics-1's kill, runs completed after it in every partition " + firstAfterKill
                        + " were not all judged");
            }
            return failover;
        }
    }

    private static List<TopicPartition> fromEnd(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return partitions;
    }

    /**
     * Both analytics instances answer the yield of every lot: each answer holds the rows both hold locally, and at least
     * one instance lacks some of them locally (the answer really came from the other). Lots appear while the load runs:
     * asked again until two rounds agree.
     */
    private static void checkRouting(ContainerLine line, List<String> proof, List<String> problems) throws Exception {
        String last = "";
        for (int attempt = 0; attempt < 10; attempt++) {
            Set<String> all1 = lotKeys(line.analyticsUrl(1) + "/yield?dimension=LOT");
            Set<String> all2 = lotKeys(line.analyticsUrl(2) + "/yield?dimension=LOT");
            Set<String> local1 = lotKeys(line.analyticsUrl(1) + "/yield?dimension=LOT&local=true");
            Set<String> local2 = lotKeys(line.analyticsUrl(2) + "/yield?dimension=LOT&local=true");
            Set<String> union = new java.util.TreeSet<>(local1);
            union.addAll(local2);
            last = "analytics-1 answers " + all1.size() + " lots (" + local1.size() + " its own), analytics-2 " + all2.size() + " ("
                    + local2.size() + " its own)";
            if (!union.isEmpty() && all1.equals(union) && all2.equals(union) && (local1.size() < union.size() || local2.size() < union.size())) {
                proof.add("queries routed: " + last);
                return;
            }
            Thread.sleep(3000);
        }
        problems.add("the analytics instances do not answer for every key: " + last);
    }

    private static Set<String> lotKeys(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Set<String> keys = new java.util.TreeSet<>();
        if (r.statusCode() == 200) {
            JSON.readTree(r.body()).forEach(row -> keys.add(row.get("key").asText()));
        }
        return keys;
    }

    /**
     * A report job taken by service-1 is polled and downloaded from service-2 (jobs live in the database); then service-1
     * is killed and the one address asked once a second for 20 s; returns the requests that failed.
     */
    private static int killService(ContainerLine line, List<String> proof, List<String> problems) throws Exception {
        ServiceSession session = line.session();
        HttpResponse<String> accepted = session.get(line.serviceUrl(1) + "/api/reports/yield.xlsx?async=true&rawData=false");
        String jobId = accepted.statusCode() == 202 ? JSON.readTree(accepted.body()).get("id").asText() : null;
        String jobState = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (jobId != null && !jobState.equals("DONE") && !jobState.equals("FAILED") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            jobState = JSON.readTree(session.get(line.serviceUrl(2) + "/api/reports/jobs/" + jobId).body()).get("state").asText();
        }
        HttpResponse<byte[]> file = jobId == null ? null : HTTP.send(session.request(line.serviceUrl(2) + "/api/reports/jobs/" + jobId + "/file")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        boolean workbook = file != null && file.statusCode() == 200 && file.body().length > 2 && file.body()[0] == 'P' && file.body()[1] == 'K';
        proof.add("report job " + jobId + " taken by service-1: " + jobState + " as polled from service-2, which served its workbook ("
                + (file == null ? 0 : file.body().length) + " bytes)");
        if (!workbook) {
            problems.add("the report job taken by service-1 was not served by service-2 (accepted " + accepted.statusCode() + ", state " + jobState
                    + ", file " + (file == null ? "none" : file.statusCode()) + ")");
        }
        long exit = line.kill("service-1");
        int failed = 0;
        int asked = 0;
        for (int i = 0; i < 20; i++) {
            asked++;
            try {
                HttpResponse<String> r = session.get("/api/yield?dimension=LOT");
                if (r.statusCode() != 200) {
                    failed++;
                }
            } catch (java.io.IOException e) {
                failed++;
            }
            Thread.sleep(1000);
        }
        proof.add("service-1 killed: exit " + exit + "; through the one address " + (asked - failed) + " of " + asked
                + " requests answered in the 20 s after");
        if (exit != 137) {
            problems.add("service-1 ended with " + exit + ", not 137");
        }
        if (failed > 0) {
            problems.add(failed + " of " + asked + " requests through the one address failed after service-1's kill");
        }
        return failed;
    }

    /** Waits until the tester folder is empty of results, the agent's spool is drained and every run has its verdict stored. */
    private static void settle(ContainerLine line, int runs, Duration timeout) throws InterruptedException {
        FaultRun.settle(() -> settledState(line, runs), timeout);
    }

    private static String settledState(ContainerLine line, int runs) {
        try (var files = Files.list(line.stationInput(STATION))) {
            long waiting = files.filter(p -> p.toString().endsWith(".align")).count();
            if (waiting > 0) {
                return waiting + " result files not taken";
            }
            HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(line.agentStatusUrl(STATION) + "/status"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            long depth = JSON.readTree(status.body()).get("spoolDepthEvents").asLong();
            if (depth > 0) {
                return depth + " events in the agent's spool";
            }
        } catch (Exception e) {
            return "agent: " + e;
        }
        return FaultRun.verdictsStored(line.database(), runs);
    }
}
