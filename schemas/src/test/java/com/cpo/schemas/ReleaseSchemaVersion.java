package com.cpo.schemas;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.avro.specific.SpecificRecord;

/**
 * Copies the current schemas, self-contained, into {@code src/main/resources/schema-history/VERSION/}:
 * run it when a schema version is released, then add VERSION to {@link EventCodec#HISTORY_VERSIONS}.
 * Usage (from schemas/): {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * com.cpo.schemas.ReleaseSchemaVersion v2}.
 */
final class ReleaseSchemaVersion {

    public static void main(String[] args) throws Exception {
        Path folder = Path.of("src/main/resources/schema-history", args[0]);
        Files.createDirectories(folder);
        for (Class<? extends SpecificRecord> type : EventCodec.EVENT_TYPES) {
            Files.writeString(folder.resolve(type.getSimpleName() + ".avsc"), EventCodec.schemaOf(type).toString(true) + "\n");
        }
        System.out.println("wrote " + EventCodec.EVENT_TYPES.size() + " schemas to " + folder);
    }

    private ReleaseSchemaVersion() {
    }
}
