-- Every instance keeps the callers of API keys and the rules of dispensaries in memory (TenantCache) only as long
-- as it hears of every change to them (ChangeNotifications). The word comes from triggers, not from the service,
-- so a change by any path (the admin API, psql, a later migration) reaches every instance when it commits; a
-- change that rolls back says nothing. One notification per statement is enough: a listener forgets all of it.
CREATE FUNCTION notify_tenant_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tenant_changed', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER api_key_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_key
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_changed();

CREATE TRIGGER dispensary_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dispensary
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_changed();
