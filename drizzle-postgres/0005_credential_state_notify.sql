-- Each instance keeps credentials' states while it is told of every change to them (src/db/postgres/state-cache.ts):
-- a change to a credential's row, its status entry or its suspension names the credential on the
-- credential_state channel at commit, whoever made it. New credentials and their first status entry
-- need no notice: nothing was kept for them.
CREATE FUNCTION notify_credential_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('credential_state', to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER credentials_state_changed AFTER UPDATE OR DELETE ON credentials FOR EACH ROW EXECUTE FUNCTION notify_credential_state('id');
--> statement-breakpoint
CREATE TRIGGER credential_statuses_state_changed AFTER UPDATE OR DELETE ON credential_statuses FOR EACH ROW EXECUTE FUNCTION notify_credential_state('credential_id');
--> statement-breakpoint
CREATE TRIGGER credential_suspensions_state_changed AFTER INSERT OR UPDATE OR DELETE ON credential_suspensions FOR EACH ROW EXECUTE FUNCTION notify_credential_state('credential_id');
