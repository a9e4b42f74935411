package com.cpo.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A platform component running as its own JVM, its output in a log file. */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java [jvmArgs] [-cp classpath mainClass | -jar jar] args}, output appended to {@code log}.
     */
    public static ChildJvm start(String name, List<String> jvmArgs, List<String> launch, Path log) {
        return start(name, jvmArgs, launch, log, java.util.Map.of());
    }

    /**
     * As {@link #start(String, List, List, Path)}, with environment variables added to this JVM's: the place for secrets
     * (a password on the command line is in every process list).
     */
    public static ChildJvm start(String name, List<String> jvmArgs, List<String> launch, Path log, java.util.Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.net.preferIPv4Stack=true");
        command.addAll(jvmArgs);
        command.addAll(launch);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the JVM with SIGKILL, as a power cut or the OOM killer would: no shutdown hook runs. Returns once it is gone,
     * with its exit code (137 on Linux).
     */
    public int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** Exit code once it has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Stops the JVM with SIGTERM (its shutdown hooks run), then SIGKILL after 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
