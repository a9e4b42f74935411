package com.cpo.platform.live;

/**
 * One Server-Sent Event of the dashboard stream.
 *
 * @param type the SSE event name: {@code snapshot}, {@code yield}, {@code rty}, {@code statistics}, {@code verdict},
 *        {@code alarm}, {@code burnin}
 * @param id the hub's sequence number (the SSE id); a reconnecting browser gets a fresh snapshot whatever it sends
 * @param data the JSON payload
 */
public record LiveEvent(String type, long id, Object data) {
}
