using Npgsql;

namespace Kindred.Server.Clustering;

/// <summary>
/// The tables, functions and queries Orleans' ADO.NET clustering provider needs in PostgreSQL, created by Kindred
/// itself at start-up (idempotently, under an advisory lock, so silos starting together do not race). The provider
/// reads every query it runs from the OrleansQuery table by key; it binds parameters and reads columns by name, and
/// a conditional write answers 1 when it happened and 0 when its version check failed.
/// </summary>
internal static class PostgresClusteringSchema
{
    // Any fixed number: only Kindred's set-up takes this lock.
    private const long SetupLock = 0x4b696e647265640;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
            QueryText varchar(8000) NOT NULL
        );

        -- One row per cluster: its membership version, bumped by every membership change.
        CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable (
            DeploymentId varchar(150)   NOT NULL PRIMARY KEY,
            Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
            Version      integer        NOT NULL DEFAULT 0
        );

        -- One row per silo incarnation.
        CREATE TABLE IF NOT EXISTS OrleansMembershipTable (
            DeploymentId varchar(150)   NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
            Address      varchar(45)    NOT NULL,
            Port         integer        NOT NULL,
            Generation   integer        NOT NULL,
            SiloName     varchar(150)   NOT NULL,
            HostName     varchar(150)   NOT NULL,
            Status       integer        NOT NULL,
            ProxyPort    integer        NULL,
            SuspectTimes varchar(8000)  NULL,
            StartTime    timestamptz(3) NOT NULL,
            IAmAliveTime timestamptz(3) NOT NULL,
            PRIMARY KEY (DeploymentId, Address, Port, Generation)
        );

        -- A silo joins: its row is added only if the cluster's version is still the one it read.
        CREATE OR REPLACE FUNCTION kindred_orleans_insert_member(
            p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_silo_name varchar,
            p_host_name varchar, p_status integer, p_proxy_port integer, p_start timestamptz, p_alive timestamptz,
            p_version integer)
        RETURNS integer AS $$
        BEGIN
            UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
            WHERE DeploymentId = p_deployment AND Version = p_version;
            IF NOT FOUND THEN
                RETURN 0;
            END IF;
            INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
            VALUES (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start, p_alive)
            ON CONFLICT DO NOTHING;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'kindred: member exists';
            END IF;
            RETURN 1;
        EXCEPTION WHEN SQLSTATE 'P0001' THEN
            -- The version bump above is undone with the block.
            RETURN 0;
        END;
        $$ LANGUAGE plpgsql;

        -- A silo's status or suspicions change: again only at the version it read.
        CREATE OR REPLACE FUNCTION kindred_orleans_update_member(
            p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_status integer,
            p_suspect_times varchar, p_alive timestamptz, p_version integer)
        RETURNS integer AS $$
        BEGIN
            UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
            WHERE DeploymentId = p_deployment AND Version = p_version;
            IF NOT FOUND THEN
                RETURN 0;
            END IF;
            UPDATE OrleansMembershipTable SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_alive
            WHERE DeploymentId = p_deployment AND Address = p_address AND Port = p_port AND Generation = p_generation;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'kindred: no such member';
            END IF;
            RETURN 1;
        EXCEPTION WHEN SQLSTATE 'P0001' THEN
            RETURN 0;
        END;
        $$ LANGUAGE plpgsql;
        """;

    private const string MemberColumns = """
        v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
        """;

    private static readonly (string Key, string Text)[] Queries =
    [
        ("InsertMembershipVersionKey", """
            WITH added AS (INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId) ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*)::integer FROM added;
            """),
        ("InsertMembershipKey", """
            SELECT kindred_orleans_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
            """),
        ("UpdateMembershipKey", """
            SELECT kindred_orleans_update_member(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version);
            """),
        ("UpdateIAmAlivetimeKey", """
            UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
            WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
            """),
        ("MembershipReadRowKey", $"""
            SELECT {MemberColumns}
            FROM OrleansMembershipVersionTable v
            LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
                AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
            WHERE v.DeploymentId = @DeploymentId;
            """),
        ("MembershipReadAllKey", $"""
            SELECT {MemberColumns}
            FROM OrleansMembershipVersionTable v
            LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
            WHERE v.DeploymentId = @DeploymentId;
            """),
        ("GatewaysQueryKey", """
            SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
            """),
        ("DeleteMembershipTableEntriesKey", """
            DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
            DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
            """),
        // Dead silos (status 6) that stopped answering long ago and are suspected by nobody.
        ("CleanupDefunctSiloEntriesKey", """
            DELETE FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
                AND COALESCE(SuspectTimes, '') = '' AND Status = 6;
            """),
        // One dead silo's row, only if it is still exactly as it was read.
        ("CleanupDefunctSiloEntryKey", """
            DELETE FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
                AND Status = 6 AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
                AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
            """),
    ];

    /// <summary>Creates or updates everything in the database <paramref name="connectionString"/> names.</summary>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@lock);", connection, transaction))
        {
            command.Parameters.AddWithValue("lock", SetupLock);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(Tables, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (key, text) in Queries)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;",
                connection,
                transaction);
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("text", text);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
