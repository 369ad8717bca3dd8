package dev.atrium.controlplane.cost;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.Jdbc;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;

/** Price book versions and their prices ({@code price_book}, {@code price}); joins the caller's transaction. */
@ApplicationScoped
public class PriceBookRepository {

    private record BookRow(UUID id, String region, String currency, Instant effectiveFrom, String note, Instant createdAt,
                           String createdBy) {
    }

    private record PriceRow(UUID bookId, PriceBook.Price price) {
    }

    private static final RowMapper<BookRow> BOOKS = PriceBookRepository::book;
    private static final RowMapper<PriceRow> PRICES = row -> new PriceRow(row.getObject("book_id", UUID.class),
            new PriceBook.Price(row.getString("meter"), row.getString("model"), row.getString("gpu_type"), row.getBigDecimal("unit_price")));

    @Inject
    Jdbc jdbc;

    /** Every version, oldest first, with its prices. */
    public List<PriceBook> all() {
        Map<UUID, List<PriceBook.Price>> prices = new LinkedHashMap<>();
        for (PriceRow row : jdbc.query("SELECT book_id, meter, model, gpu_type, unit_price FROM price "
                + "ORDER BY meter, coalesce(model, ''), coalesce(gpu_type, '')", PRICES)) {
            prices.computeIfAbsent(row.bookId(), id -> new ArrayList<>()).add(row.price());
        }
        List<PriceBook> books = new ArrayList<>();
        for (BookRow row : jdbc.query("SELECT id, region, currency, effective_from, note, created_at, created_by FROM price_book "
                + "ORDER BY effective_from, coalesce(region, '')", BOOKS)) {
            books.add(new PriceBook(row.id(), row.region(), row.currency(), row.effectiveFrom(), row.note(), row.createdAt(),
                    row.createdBy(), List.copyOf(prices.getOrDefault(row.id(), List.of()))));
        }
        return books;
    }

    /** False when the scope already has a version taking effect at that instant. */
    public boolean insert(PriceBook book) {
        int inserted = jdbc.update("INSERT INTO price_book (id, region, currency, effective_from, note, created_at, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", book.id(), book.region(), book.currency(),
                Timestamp.from(book.effectiveFrom()), book.note(), Timestamp.from(book.createdAt()), book.createdBy());
        if (inserted == 0) {
            return false;
        }
        for (PriceBook.Price price : book.prices()) {
            jdbc.update("INSERT INTO price (book_id, meter, model, gpu_type, unit_price) VALUES (?, ?, ?, ?, ?)", book.id(),
                    price.meter(), price.model(), price.gpuType(), price.unitPrice());
        }
        return true;
    }

    private static BookRow book(ResultSet row) throws SQLException {
        return new BookRow(row.getObject("id", UUID.class), row.getString("region"), row.getString("currency"),
                Rows.instant(row, "effective_from"), row.getString("note"), Rows.instant(row, "created_at"), row.getString("created_by"));
    }
}
