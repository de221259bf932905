// Schema migrations: a versioned list applied in order inside one transaction each. One list for
// both engines: steps are SQLite DDL, which PostgresDialect maps to PostgreSQL's types. The
// version is SQLite's `PRAGMA user_version`, or PostgreSQL's schema_version row, written in the
// step's transaction. Never edit a shipped step: append one.
using System.Data.Common;

namespace PostureGate.Ems.Storage;

internal static class Migrations
{
    /// <summary>Step N (1-based) upgrades user_version N-1 to N.</summary>
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: endpoints, tags (with optional rule), assignments, change log, key ring, profiles.
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE endpoints(
            uid TEXT PRIMARY KEY,
            host TEXT NOT NULL DEFAULT '',
            user TEXT NOT NULL DEFAULT '',
            os TEXT NOT NULL DEFAULT '',
            os_version TEXT NOT NULL DEFAULT '',
            fct_version TEXT NOT NULL DEFAULT '',
            ip TEXT,
            macs TEXT NOT NULL DEFAULT '[]',
            public_ip TEXT,
            facts TEXT NOT NULL DEFAULT '{}',
            ztna_cert_sn TEXT NOT NULL,
            registered_at INTEGER NOT NULL,
            last_seen INTEGER NOT NULL) STRICT;
        CREATE INDEX endpoints_ip ON endpoints(ip);
        CREATE TABLE tags(
            name TEXT PRIMARY KEY,
            type INTEGER NOT NULL DEFAULT 1,
            expression TEXT) STRICT;
        CREATE TABLE endpoint_tags(
            uid TEXT NOT NULL REFERENCES endpoints(uid) ON DELETE CASCADE,
            tag TEXT NOT NULL REFERENCES tags(name) ON DELETE CASCADE,
            source TEXT NOT NULL CHECK (source IN ('admin', 'rule')),
            PRIMARY KEY (uid, tag, source)) STRICT, WITHOUT ROWID;
        CREATE INDEX endpoint_tags_tag ON endpoint_tags(tag);
        CREATE TABLE changes(
            version INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            data TEXT NOT NULL) STRICT;
        CREATE TABLE signing_keys(
            kid TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL,
            retired_at INTEGER,
            publish_until INTEGER) STRICT;
        CREATE TABLE profiles(
            name TEXT PRIMARY KEY,
            gateway TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]') STRICT;
        INSERT INTO tags(name, type, expression) VALUES ('all_registered_clients', 1, 'registered');
        """,

        // 2: remember that an endpoint's going offline was logged, so it is logged once.
        """
        ALTER TABLE endpoints ADD COLUMN offline_logged INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX endpoints_last_seen ON endpoints(last_seen);
        """,

        // 3: enrollment (issue 10) — invitation codes (secret stored as SHA-256 only), the
        // endpoint certificates this EMS issued (serial = ztna_cert_sn), and enrollments without
        // a code waiting for `pgate ems endpoint approve`.
        """
        CREATE TABLE invites(
            id TEXT PRIMARY KEY,
            secret_sha256 BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            max_uses INTEGER NOT NULL CHECK (max_uses > 0),
            used INTEGER NOT NULL DEFAULT 0) STRICT;
        CREATE TABLE certificates(
            serial TEXT PRIMARY KEY,
            uid TEXT NOT NULL,
            spki_sha256 TEXT NOT NULL,
            not_before INTEGER NOT NULL,
            not_after INTEGER NOT NULL,
            issued_at INTEGER NOT NULL,
            revoked_at INTEGER) STRICT;
        CREATE INDEX certificates_uid ON certificates(uid);
        CREATE TABLE pending_enrollments(
            uid TEXT PRIMARY KEY,
            spki_sha256 TEXT NOT NULL,
            peer TEXT,
            requested_at INTEGER NOT NULL,
            approved_at INTEGER) STRICT;
        """,

        // 4: private keys sealed with the node key, shared by the EMS nodes of one PostgreSQL
        // database (issue 16); SQLite keeps its keys as files and leaves this table empty.
        """
        CREATE TABLE sealed_keys(
            name TEXT PRIMARY KEY,
            sealed BLOB NOT NULL) STRICT;
        """,

        // 5: the web console (issue 15) — admin accounts (PasswordHasher hashes, role, security
        // stamp) and the audit of what admins did through it.
        """
        CREATE TABLE admin_accounts(
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('read-only', 'read-write')),
            stamp TEXT NOT NULL,
            created_at INTEGER NOT NULL) STRICT;
        CREATE TABLE admin_audit(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            source TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            detail TEXT NOT NULL) STRICT;
        """,
    ];

    public static int CurrentVersion => Steps.Count;

    /// <summary>Brings the database to <see cref="CurrentVersion"/>; returns the version found.</summary>
    public static int Apply(DbConnection connection)
    {
        var dialect = SqlDialect.Of(connection);
        int found;
        using (var tx = dialect.BeginWrite(connection))
        {
            dialect.PrepareSchemaVersion(connection, tx);
            found = dialect.ReadSchemaVersion(connection, tx);
            tx.Commit();
        }
        if (found > Steps.Count)
            throw new InvalidOperationException(
                $"the EMS database has schema version {found}, newer than this pgate ({Steps.Count}); refusing to touch it");
        for (var version = found; version < Steps.Count; version++)
        {
            // The writer's lock: two nodes starting at once apply each step once.
            using var tx = dialect.BeginWrite(connection);
            if (dialect.ReadSchemaVersion(connection, tx) > version)
                continue;
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            // The version is written in the same transaction, so a step is applied entirely or not at all.
            command.CommandText = dialect.TranslateSchema(Steps[version]) + "\n" + dialect.WriteSchemaVersion(version + 1);
            command.ExecuteNonQuery();
            tx.Commit();
        }
        return found;
    }

    public static int ReadUserVersion(DbConnection connection) => SqlDialect.Of(connection).ReadSchemaVersion(connection, null);
}
