package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;


/** docker/ cannot be run here (no Docker engine); what can be checked without one is checked here. */
class DeploymentFilesTest {

    private static final Path DOCKER = ProjectRoot.find().resolve("docker");

    @Test
    void composeCreatesTheTopicsWithTheCatalogueAndItsReplicationSetting() throws Exception {
        String compose = Files.readString(DOCKER.resolve("compose.yaml"));
        String services = compose.substring(compose.indexOf("\nservices:"));
        String init = services.substring(services.indexOf("\n  kafka-init:\n"), services.indexOf("\n  limits-init:"));
        assertThat(init).contains("com.cpo.schemas.CreateTopics", "CPO_KAFKA_REPLICATION_FACTOR", "CPO_KAFKA_BOOTSTRAP_SERVERS")
                .doesNotContain("kafka-topics.sh");
        // the analytics app and the service read the same setting for their replication check
        assertThat(compose.split("CPO_KAFKA_REPLICATION_FACTOR", -1).length - 1).isGreaterThanOrEqualTo(1);
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
