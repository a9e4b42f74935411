package com.cpo.service.rest;

/**
 * An error as RFC 9457 problem details, sent as {@value #MEDIA_TYPE}.
 *
 * @param type a URI naming the kind of problem; {@code about:blank} when the HTTP status says it all
 * @param title a short summary of the kind, the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong this time, for the caller
 * @param instance the path of the request that failed
 */
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
