-- The price book: versions of the platform's prices, each for one region or for every region (region NULL), in force
-- from effective_from until a newer version for the same scope takes over. A version is never changed once stored.
-- Money is numeric, never floating point; every version is in the platform's one currency.
CREATE TABLE price_book (
    id             uuid          PRIMARY KEY,
    region         varchar(40),
    currency       char(3)       NOT NULL,
    effective_from timestamptz   NOT NULL,
    note           varchar(500),
    created_at     timestamptz   NOT NULL,
    created_by     varchar(200)  NOT NULL
);
CREATE UNIQUE INDEX price_book_one_per_instant ON price_book (coalesce(region, '*'), effective_from);

-- unit_price is per 1,000 tokens or requests, per GPU-second, or per GB-month, as the meter says; model NULL is the
-- price for any model the version names no price for, model 'name@version' one version's own price
CREATE TABLE price (
    book_id    uuid           NOT NULL REFERENCES price_book (id) ON DELETE CASCADE,
    meter      varchar(32)    NOT NULL CHECK (meter IN ('input-tokens', 'output-tokens', 'embedding-tokens', 'requests',
                                                        'gpu-seconds', 'rag-storage')),
    model      varchar(200),
    gpu_type   varchar(64),
    unit_price numeric(24, 12) NOT NULL CHECK (unit_price >= 0)
);
CREATE UNIQUE INDEX price_one_per_key ON price (book_id, meter, coalesce(model, '*'), coalesce(gpu_type, '*'));

-- What each usage event cost when it was recorded (NULL: no price book was in force), and with which version.
ALTER TABLE usage_event ADD COLUMN cost numeric(38, 12);
ALTER TABLE usage_event ADD COLUMN price_book_id uuid REFERENCES price_book (id);

-- Repricing a past period is explicit and keeps the old figures: one row per event and repricing.
CREATE TABLE usage_cost_revision (
    repricing_id      uuid          NOT NULL,
    event_id          uuid          NOT NULL REFERENCES usage_event (id),
    tenant_id         uuid          NOT NULL,
    old_cost          numeric(38, 12),
    old_price_book_id uuid,
    new_cost          numeric(38, 12),
    new_price_book_id uuid,
    repriced_at       timestamptz   NOT NULL,
    PRIMARY KEY (repricing_id, event_id)
);

ALTER TABLE price_book ENABLE ROW LEVEL SECURITY;
ALTER TABLE price_book FORCE ROW LEVEL SECURITY;
-- every tenant's costs are computed from it, so any scope reads it; only the platform scope writes it
CREATE POLICY readable ON price_book FOR SELECT USING (true);
CREATE POLICY platform_writes ON price_book FOR INSERT WITH CHECK (atrium_scope_all());
ALTER TABLE price ENABLE ROW LEVEL SECURITY;
ALTER TABLE price FORCE ROW LEVEL SECURITY;
CREATE POLICY readable ON price FOR SELECT USING (true);
CREATE POLICY platform_writes ON price FOR INSERT WITH CHECK (atrium_scope_all());
ALTER TABLE usage_cost_revision ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_cost_revision FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_cost_revision USING ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]))
    WITH CHECK ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT ON price_book, price, usage_cost_revision TO %I', '${appRole}');
        -- repricing (the only change to a recorded event) touches its cost and nothing else
        EXECUTE format('GRANT UPDATE (cost, price_book_id) ON usage_event TO %I', '${appRole}');
    END IF;
END
$$;
