package com.cpo.platform.rest;

import java.util.List;

import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Paged lists: the body stays a plain JSON array (so existing clients keep working), the total goes in
 * {@value #TOTAL_HEADER} and the neighbouring pages in a {@code Link} header (rel next/prev).
 */
final class Paging {

    static final String TOTAL_HEADER = "X-Total-Count";

    private Paging() {
    }

    static <T> Response ok(List<T> items, int page, int size, long total, UriInfo uri) {
        Response.ResponseBuilder response = Response.ok(items).header(TOTAL_HEADER, total);
        if ((long) (page + 1) * size < total) {
            response.links(Link.fromUriBuilder(uri.getRequestUriBuilder().replaceQueryParam("page", page + 1)
                    .replaceQueryParam("size", size)).rel("next").build());
        }
        if (page > 0) {
            response.links(Link.fromUriBuilder(uri.getRequestUriBuilder().replaceQueryParam("page", page - 1)
                    .replaceQueryParam("size", size)).rel("prev").build());
        }
        return response.build();
    }

    /** The items of one page of an in-memory list. */
    static <T> List<T> slice(List<T> all, int page, int size) {
        long from = (long) page * size;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + size));
    }
}
