package com.cpo.agent;

import java.nio.file.Path;

/**
 * The guard every file the agent writes goes through: a name taken from tester input or an event (a serial in a
 * verdict file name, a tester's file name in the quarantine) must name a file directly inside the agent's folder,
 * never a path elsewhere on the tester PC.
 */
final class SafePaths {

    private SafePaths() {
    }

    /**
     * {@code dir/name}, refused with IllegalArgumentException when {@code name} is empty, holds a path separator,
     * is "." or "..", or would otherwise resolve outside {@code dir}.
     */
    static Path child(Path dir, String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("refused to write '" + name + "': not a plain file name inside " + dir);
        }
        Path base = dir.toAbsolutePath().normalize();
        Path child = base.resolve(name).normalize();
        if (!base.equals(child.getParent())) {
            throw new IllegalArgumentException("refused to write '" + name + "': it resolves outside " + dir);
        }
        return child;
    }
}
