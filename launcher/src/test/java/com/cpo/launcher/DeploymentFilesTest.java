package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.cpo.schemas.Topics;

/** docker/ cannot be run here (no Docker engine); what can be checked without one is checked here. */
class DeploymentFilesTest {

    private static final Path DOCKER = ProjectRoot.find().resolve("docker");

    @Test
    void composeCreatesEveryTopicOfTheCatalogueAndCompactsTheCompactedOnes() throws Exception {
        String compose = Files.readString(DOCKER.resolve("compose.yaml"));
        Matcher m = Pattern.compile("--topic (\\S+) --partitions \\d+( --config cleanup.policy=compact)?").matcher(compose);
        Map<String, Boolean> created = new TreeMap<>();
        while (m.find()) {
            created.put(m.group(1), m.group(2) != null);
        }
        Map<String, Boolean> catalogue = Topics.all().stream()
                .collect(Collectors.toMap(Topics.Topic::name, Topics.Topic::compacted, (a, b) -> a, TreeMap::new));
        assertThat(created).isEqualTo(catalogue);
    }

    @Test
    void prometheusScrapesEveryComponentTheDashboardCharts() throws Exception {
        String prometheus = Files.readString(DOCKER.resolve("prometheus/prometheus.yml"));
        GrafanaDashboard dashboard = GrafanaDashboard.read(DOCKER.resolve("grafana/dashboards/cpo-line.json"));
        assertThat(prometheus).contains("job_name: platform-service", "/q/metrics", "job_name: analytics", "job_name: station-agent");
        assertThat(dashboard.expressions()).isNotEmpty().allSatisfy(expr -> assertThat(expr).isNotBlank());
        // each component has panels
        assertThat(dashboard.metricNames()).anyMatch(n -> n.startsWith("cpo_agent_"))
                .anyMatch(n -> n.startsWith("kafka_stream_") || n.startsWith("kafka_cpo_analytics_"));
    }

    @Test
    void theDashboardReadsMetricNamesNotFunctionsOrLabels() {
        GrafanaDashboard d = new GrafanaDashboard(java.util.List.of(
                "max by (instance) (kafka_consumer_fetch_manager_records_lag_max{job=\"analytics\"})",
                "histogram_quantile(0.99, sum by (le) (rate(cpo_verdict_seconds_bucket[5m])))", "cpo_agent_healthy"));
        assertThat(d.metricNames()).containsExactly("cpo_agent_healthy", "cpo_verdict_seconds_bucket",
                "kafka_consumer_fetch_manager_records_lag_max");
    }
}
