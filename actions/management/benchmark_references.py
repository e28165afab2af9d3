"""Hand-written SQL that `make bench` times beside the app's own queries: the floor for the
dashboard's figures and for a download's rows. Each finds an action's latest known update
(and latest revised due date) once: a LATERAL join on PostgreSQL; on SQLite, which has no
LATERAL, a join on the one update a correlated subquery picks.

They restate the rules of actions/models/rules/ on purpose, to check the app against: the
benchmark fails if the app's figures differ from these.
"""

from django.db import connection

from actions.models import update_window, warning_window

_LATEST = """
    SELECT u.{columns} FROM actions_progressupdate u
    WHERE u.action_id = a.id AND u.reported_on <= %(as_at)s {extra}
    ORDER BY u.reported_on DESC, u.id DESC LIMIT 1
"""


def _joins():
    latest = _LATEST.format(
        columns="status, u.rag, u.reported_on, u.working_well, u.worried_about, u.evidence, "
        "u.evidence_links",
        extra="",
    )
    revision = _LATEST.format(
        columns="revised_due_on, u.revised_due_reason", extra="AND u.revised_due_on IS NOT NULL"
    )
    if connection.vendor == "postgresql":
        return f"LEFT JOIN LATERAL ({latest}) l ON true LEFT JOIN LATERAL ({revision}) r ON true"
    pick = "SELECT u.id FROM actions_progressupdate u WHERE u.action_id = a.id AND "
    order = "ORDER BY u.reported_on DESC, u.id DESC LIMIT 1"
    return (
        f"LEFT JOIN actions_progressupdate l ON l.id = "
        f"({pick} u.reported_on <= %(as_at)s {order}) "
        f"LEFT JOIN actions_progressupdate r ON r.id = "
        f"({pick} u.reported_on <= %(as_at)s AND u.revised_due_on IS NOT NULL {order})"
    )


def _state_sql():
    """One row per action of the plan: its latest position and the flags of DOMAIN.md."""
    return f"""
        SELECT a.id, a.theme_id, t.name AS theme_name, t.position AS theme_position,
            a.reference, a.position, a.description, a.answers, p.name AS plan_name,
            ld.name AS lead_name, ld.initials, tf.label, tf.due_on AS original_due_on,
            COALESCE(r.revised_due_on, tf.due_on) AS due_on, r.revised_due_reason,
            COALESCE(l.status, 'not_started') AS status, COALESCE(l.rag, '') AS rag,
            l.reported_on, COALESCE(l.reported_on, p.starts_on) AS touched,
            l.working_well, l.worried_about, l.evidence, l.evidence_links
        FROM actions_action a
        JOIN themes_theme t ON t.id = a.theme_id
        JOIN themes_plan p ON p.id = t.plan_id
        JOIN actions_lead ld ON ld.id = a.lead_id
        JOIN actions_timeframe tf ON tf.id = a.timeframe_id
        {_joins()}
        WHERE t.plan_id = %(plan)s
    """


def _flags_sql():
    """_state_sql's rows with each flag as 1 or 0 (CASE, so a missing due date is 0)."""
    finished = "s.status IN ('complete', 'closed')"
    stale = f"NOT {finished} AND s.touched < %(stale_before)s"
    soon_not_started = (
        f"NOT {finished} AND s.status = 'not_started' "
        "AND s.due_on >= %(as_at)s AND s.due_on <= %(soon_until)s"
    )
    return f"""
        SELECT f.*, CASE WHEN f.finished = 0 AND f.overdue = 0 AND f.at_risk = 0
            THEN 1 ELSE 0 END AS no_concerns
        FROM (
            SELECT s.*,
                CASE WHEN {finished} THEN 1 ELSE 0 END AS finished,
                CASE WHEN NOT {finished} AND s.due_on < %(as_at)s THEN 1 ELSE 0 END AS overdue,
                CASE WHEN {stale} THEN 1 ELSE 0 END AS stale,
                CASE WHEN NOT {finished} AND (s.rag IN ('red', 'amber')
                    OR ({soon_not_started}) OR ({stale})) THEN 1 ELSE 0 END AS at_risk
            FROM ({_state_sql()}) s
        ) f
    """


def _params(plan, as_at):
    return {
        "plan": plan.pk,
        "as_at": as_at,
        "stale_before": as_at - update_window(),
        "soon_until": as_at + warning_window(),
    }


def _when(condition):
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def dashboard_reference(plan, as_at):
    """The dashboard's partition and RAG by theme in one grouped query: returns the
    totals (as ActionQuerySet.counts names them) and {theme_id: (red, amber, green,
    not rated, complete, closed, total)}."""
    sql = f"""
        SELECT s.theme_id, COUNT(*), SUM(s.finished), SUM(s.overdue),
            {_when("s.at_risk = 1 AND s.overdue = 0")}, SUM(s.no_concerns), SUM(s.stale),
            {_when("s.finished = 0 AND s.rag = 'red'")},
            {_when("s.finished = 0 AND s.rag = 'amber'")},
            {_when("s.finished = 0 AND s.rag = 'green'")},
            {_when("s.finished = 0 AND s.rag = ''")},
            {_when("s.status = 'complete'")}, {_when("s.status = 'closed'")}
        FROM ({_flags_sql()}) s
        GROUP BY s.theme_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(plan, as_at))
        rows = cursor.fetchall()
    names = ("total", "complete_or_closed", "overdue", "at_risk_not_overdue", "no_concerns")
    totals = {
        name: sum(row[index] for row in rows)
        for index, name in enumerate((*names, "stale"), start=1)
    }
    by_theme = {row[0]: (*row[7:], row[1]) for row in rows}
    return totals, by_theme


def download_reference(plan, as_at):
    """Every action of the plan with what a download shows, in the register's order;
    returns how many rows were read."""
    sql = f"""
        SELECT s.* FROM ({_flags_sql()}) s ORDER BY s.plan_name, s.theme_position, s.position
    """
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(plan, as_at))
        while chunk := cursor.fetchmany(2000):
            count += len(chunk)
    return count
