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

    /** Summed VmRSS in MiB of a process and all its descendants, or -1 when unknown. */
    static long rssMibOfTree(long pid) {
        if (pid <= 0) {
            return -1;
        }
        return ProcessHandle.of(pid).map(root -> Math.max(0, rssMib(pid))
                + root.descendants().mapToLong(p -> Math.max(0, rssMib(p.pid()))).sum()).orElse(-1L);
    }
}
