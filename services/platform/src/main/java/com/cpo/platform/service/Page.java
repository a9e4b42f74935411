package com.cpo.platform.service;

import java.util.List;

/**
 * One page of a longer list.
 *
 * @param page 0-based page number
 * @param size the page size asked for
 * @param total how many items all pages hold
 */
public record Page<T>(List<T> items, int page, int size, long total) {
}
