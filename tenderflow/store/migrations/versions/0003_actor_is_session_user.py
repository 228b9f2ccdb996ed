"""On PostgreSQL an event is recorded only in the name of the database user recording it.

The name in an event's ``actor`` (``role:name``) must be the session's ``current_user``, or a
role that user is a member of (``GRANT li TO wang`` lets wang record for li), unless the user
is a member of ``tenderflow_proxy`` (a service that records for others: the scenario runner
of a whole record, a timer service). Superusers pass, as they pass every check. The check is
a trigger, so it holds whatever client writes. SQLite has no users: nothing changes there.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHECK = r"""
CREATE FUNCTION events_actor_is_session_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    who text := substr(NEW.actor, strpos(NEW.actor, ':') + 1);
BEGIN
    IF who = current_user
       OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenderflow_proxy')
       AND pg_has_role(current_user, 'tenderflow_proxy', 'MEMBER') THEN
        RETURN NEW;
    END IF;
    IF who <> '' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who)
       AND pg_has_role(current_user, who, 'MEMBER') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = format('database user %s may not record events as %s', current_user,
                         NEW.actor),
        HINT = format('act as ROLE:%s, or be granted the role %L or tenderflow_proxy',
                      current_user, who);
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(CHECK)
    op.execute("CREATE TRIGGER events_actor_is_session_user BEFORE INSERT ON events "
               "FOR EACH ROW EXECUTE FUNCTION events_actor_is_session_user()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS events_actor_is_session_user ON events")
    op.execute("DROP FUNCTION IF EXISTS events_actor_is_session_user()")
