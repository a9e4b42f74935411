package com.cpo.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of processes, from /proc (Linux). */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** VmRSS of a process in MiB, or -1 when unknown. */
    static long rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Summed VmRSS in MiB of every process whose command line contains {@code needle}, under {@code root}. */
    static long rssMibOfDescendants(ProcessHandle root, String needle) {
        return root.descendants()
                .filter(p -> p.info().command().map(c -> c.contains(needle)).orElse(false))
                .mapToLong(p -> Math.max(0, rssMib(p.pid())))
                .sum();
    }
}
