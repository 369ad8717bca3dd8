-- Tenants' budgets: a limit in money (the platform's currency) or tokens over a period in an IANA time zone, for the
-- whole tenant, one API key, one model, or a key and a model; thresholds that raise alerts once per period.
CREATE TABLE budget (
    id                 uuid           PRIMARY KEY,
    tenant_id          uuid           NOT NULL REFERENCES tenant (id),
    name               varchar(64)    NOT NULL,
    api_key_id         uuid,
    model              varchar(200),
    period             varchar(8)     NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly', 'custom')),
    time_zone          varchar(64)    NOT NULL,
    custom_start       date,
    custom_days        integer        CHECK (custom_days BETWEEN 1 AND 366),
    limit_kind         varchar(8)     NOT NULL CHECK (limit_kind IN ('money', 'tokens')),
    limit_amount       numeric(38, 12) NOT NULL CHECK (limit_amount > 0),
    thresholds         jsonb          NOT NULL,
    forecast_threshold integer        CHECK (forecast_threshold BETWEEN 0 AND 1000),
    action             varchar(16)    NOT NULL CHECK (action IN ('block', 'downgrade', 'suspend-key', 'alert-only')),
    downgrade_to       varchar(200),
    created_at         timestamptz    NOT NULL,
    created_by         varchar(200)   NOT NULL,
    updated_at         timestamptz    NOT NULL,
    updated_by         varchar(200)   NOT NULL,
    version            bigint         NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, name)
);

-- An alert raised for a budget: once per period, threshold and kind (of the actual spend, or of the forecast) and
-- version of the budget (a raised limit can be reached again in the same period).
CREATE TABLE budget_alert (
    budget_id      uuid          NOT NULL REFERENCES budget (id) ON DELETE CASCADE,
    tenant_id      uuid          NOT NULL,
    budget_version bigint        NOT NULL,
    period_start   timestamptz   NOT NULL,
    kind           varchar(8)    NOT NULL CHECK (kind IN ('actual', 'forecast')),
    threshold      integer       NOT NULL,
    amount         numeric(38, 12) NOT NULL,
    raised_at      timestamptz   NOT NULL,
    PRIMARY KEY (budget_id, budget_version, period_start, kind, threshold)
);

ALTER TABLE budget ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON budget USING ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[])) WITH CHECK ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]));
ALTER TABLE budget_alert ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_alert FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON budget_alert USING ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[])) WITH CHECK ((SELECT atrium_scope_all()) OR tenant_id::text = ANY ((SELECT atrium_scope())::text[]));

DO $$
BEGIN
    IF '${appRole}' <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON budget, budget_alert TO %I', '${appRole}');
    END IF;
END
$$;
