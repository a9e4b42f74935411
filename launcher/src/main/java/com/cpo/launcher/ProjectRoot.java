package com.cpo.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout: the nearest folder, from here upwards, with mvnw and services/. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("cpo.project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("services"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (a folder with mvnw and services/) above " + Path.of("").toAbsolutePath());
    }
}
