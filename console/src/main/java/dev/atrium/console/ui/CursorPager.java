package dev.atrium.console.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import com.vaadin.flow.data.provider.Query;

import dev.atrium.console.api.Views.Page;

/**
 * Adapts the API's keyset pagination (cursor, limit) to a lazy-loading grid (offset, limit): pages are fetched
 * as the user scrolls and kept, so scrolling back costs nothing. A new pager starts over (new filters).
 */
public final class CursorPager<T> {

    private static final int PAGE_SIZE = 100;

    private final BiFunction<String, Integer, Page<T>> fetchPage;
    private final List<T> loaded = new ArrayList<>();
    private String nextCursor;
    private boolean exhausted;

    public CursorPager(BiFunction<String, Integer, Page<T>> fetchPage) {
        this.fetchPage = fetchPage;
    }

    public Stream<T> fetch(Query<T, ?> query) {
        int end = query.getOffset() + query.getLimit();
        while (loaded.size() < end && !exhausted) {
            Page<T> page = fetchPage.apply(nextCursor, PAGE_SIZE);
            loaded.addAll(page.items());
            nextCursor = page.nextCursor();
            exhausted = nextCursor == null || page.items().isEmpty();
        }
        return loaded.subList(Math.min(query.getOffset(), loaded.size()), Math.min(end, loaded.size())).stream();
    }

    public boolean empty() {
        return exhausted && loaded.isEmpty();
    }
}
