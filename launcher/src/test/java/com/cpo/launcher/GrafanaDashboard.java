package com.cpo.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Grafana dashboard definition in docker/: its panels' PromQL and the metric names it reads. */
record GrafanaDashboard(List<String> expressions) {

    /** A name followed by a selector, a range or the end of an argument; not a label (followed by =) nor a function (followed by (). */
    private static final Pattern NAME = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?=[{\\[)]|$)");
    private static final Set<String> NOT_METRICS = Set.of("by", "without", "le", "on", "ignoring");

    static GrafanaDashboard read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<String> exprs = new ArrayList<>();
        collect(root.path("panels"), exprs);
        return new GrafanaDashboard(exprs);
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
            }
            collect(panel.path("panels"), exprs);
        }
    }

    /** Metric names the expressions read, e.g. {@code cpo_agent_spool_depth_events}. */
    Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions) {
            String withoutLabels = expr.replaceAll("\\{[^}]*}", "{}").replaceAll("\\[[^]]*]", "[]")
                    .replaceAll("(by|without)\\s*\\([^)]*\\)", "");
            Matcher m = NAME.matcher(withoutLabels);
            while (m.find()) {
                if (!NOT_METRICS.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
