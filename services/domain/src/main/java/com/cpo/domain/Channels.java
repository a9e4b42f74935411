package com.cpo.domain;

/** How many fiber channels a unit may have, and whether a channel number is one of them. */
public final class Channels {

    /** Most channels an optical engine of this line has (8–16 today; room for a 64-channel engine). */
    public static final int MAX = 64;

    private Channels() {
    }

    /** Why {@code count} cannot be a unit's channel count, or null when it can. */
    public static String countProblem(int count) {
        return count >= 1 && count <= MAX ? null : "channel count " + count + " is outside 1.." + MAX;
    }

    /** Why {@code channel} is not a channel of a unit with {@code count} channels (1-based), or null. */
    public static String channelProblem(int channel, int count) {
        return channel >= 1 && channel <= count ? null : "channel " + channel + " is outside 1.." + count;
    }
}
