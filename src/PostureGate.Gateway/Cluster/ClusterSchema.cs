// The gateway cluster's tables (issue 16), in their own schema `pgate_gateway` so they may share
// the EMS's database or live in one of their own. Steps are applied in order under an advisory
// lock, so nodes started at once apply each step once; a database newer than this build is refused.
namespace PostureGate.Gateway.Cluster;

internal static class ClusterSchema
{
    public const string Name = "pgate_gateway";

    /// <summary>The migration steps; step i brings the schema to version i + 1.</summary>
    public static readonly string[] Steps =
    [
        """
        -- A node is alive while its heartbeat_at (the database's clock) is recent; incarnation tells
        -- a restarted process from the one that held the name before.
        CREATE TABLE pgate_gateway.nodes (
            name text PRIMARY KEY,
            incarnation uuid NOT NULL,
            address text NOT NULL DEFAULT '',
            started_at timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now(),
            draining boolean NOT NULL DEFAULT false
        );
        -- One row per leased address: the primary key is what keeps an address from being leased
        -- twice across nodes. A node's rows go with its nodes row (reclaimed when its heartbeat stops).
        CREATE TABLE pgate_gateway.leases (
            pool text NOT NULL,
            address bigint NOT NULL,
            node text NOT NULL REFERENCES pgate_gateway.nodes (name) ON DELETE CASCADE,
            instance text NOT NULL,
            owner text NOT NULL,
            leased_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (pool, address),
            UNIQUE (node, pool, instance)
        );
        -- The address a user last held in a pool (last_owner), given again while it is free.
        CREATE TABLE pgate_gateway.last_owners (
            pool text NOT NULL,
            last_owner text NOT NULL,
            address bigint NOT NULL,
            PRIMARY KEY (pool, last_owner)
        );
        CREATE TABLE pgate_gateway.sessions (
            node text NOT NULL REFERENCES pgate_gateway.nodes (name) ON DELETE CASCADE,
            instance text NOT NULL,
            phase1 text NOT NULL,
            user_name text,
            uid text,
            vip text,
            remote text NOT NULL,
            since timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (node, instance)
        );
        -- Requests for the owning node ("clear" a tunnel), picked up by its poll.
        CREATE TABLE pgate_gateway.commands (
            id bigserial PRIMARY KEY,
            node text NOT NULL REFERENCES pgate_gateway.nodes (name) ON DELETE CASCADE,
            verb text NOT NULL,
            instance text NOT NULL,
            requested_at timestamptz NOT NULL DEFAULT now(),
            done_at timestamptz
        );
        CREATE INDEX commands_pending ON pgate_gateway.commands (node) WHERE done_at IS NULL;
        """,
    ];
}
