package com.cpo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The build-time guard of the contracts: a schema change that a consumer could not apply to events
 * written with a released version fails the build here.
 */
class SchemaCompatibilityTest {

    @Test
    void theNewestReleasedVersionHoldsEveryEventTypeAndNoVersionDropsOne() {
        List<String> versions = EventCodec.HISTORY_VERSIONS;
        assertThat(EventCodec.historySchemas(versions.get(versions.size() - 1)).keySet())
                .as("schema-history/%s (release the current schemas with ReleaseSchemaVersion)", versions.get(versions.size() - 1))
                .containsExactlyInAnyOrderElementsOf(EventCodec.EVENT_TYPES);
        for (int i = 1; i < versions.size(); i++) {
            assertThat(EventCodec.historySchemas(versions.get(i)).keySet())
                    .as("schema-history/%s keeps every type of %s", versions.get(i), versions.get(i - 1))
                    .containsAll(EventCodec.historySchemas(versions.get(i - 1)).keySet());
        }
    }

    @Test
    void currentSchemasReadEventsWrittenWithEveryReleasedVersion() {
        List<String> problems = new ArrayList<>();
        for (String version : EventCodec.HISTORY_VERSIONS) {
            for (Map.Entry<Class<? extends SpecificRecord>, Schema> old : EventCodec.historySchemas(version).entrySet()) {
                Schema current = EventCodec.schemaOf(old.getKey());
                var result = SchemaCompatibility.checkReaderWriterCompatibility(current, old.getValue()).getResult();
                if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
                    problems.add(old.getKey().getSimpleName() + " cannot read " + version + ": " + result.getIncompatibilities());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckRefusesANewFieldWithoutDefault() {
        // given a released schema and a change that adds a required field
        Schema released = EventCodec.schemaOf(com.cpo.events.RunCompleted.class);
        String changed = released.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"yieldTarget\",\"type\":\"double\",\"doc\":\"new\"},");
        Schema proposed = new Schema.Parser().parse(changed);

        // when
        var result = SchemaCompatibility.checkReaderWriterCompatibility(proposed, released).getResult();

        // then
        assertThat(result.getCompatibility()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void everyFieldAndTypeHasADoc() {
        List<String> undocumented = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : EventCodec.EVENT_TYPES) {
            collectUndocumented(EventCodec.schemaOf(type), undocumented, new ArrayList<>());
        }
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(Schema schema, List<String> undocumented, List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                if (schema.getDoc() == null || schema.getDoc().isBlank()) {
                    undocumented.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.doc() == null || field.doc().isBlank()) {
                        undocumented.add(schema.getFullName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), undocumented, seen);
                }
            }
            case ARRAY -> collectUndocumented(schema.getElementType(), undocumented, seen);
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, undocumented, seen));
            case ENUM -> {
                if (schema.getDoc() == null || schema.getDoc().isBlank()) {
                    undocumented.add(schema.getFullName());
                }
            }
            default -> {
            }
        }
    }
}
