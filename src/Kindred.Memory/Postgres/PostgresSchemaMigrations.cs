using System.Globalization;
using Npgsql;

namespace Kindred.Memory.Postgres;

/// <summary>
/// The PostgreSQL store's schema as an ordered list of forward-only steps, the counterpart of
/// <see cref="SchemaMigrations"/>: schema_history holds one row per applied step, and a step, once shipped, is never
/// edited, only followed by new ones. DDL is transactional in PostgreSQL, so an upgrade applies whole or not at all.
/// </summary>
internal static class PostgresSchemaMigrations
{
    // Any constant will do, as long as every Kindred uses the same one: it serialises migrations across processes.
    private const long MigrationLockKey = 0x4B696E6472656431; // "Kindred1"

    private static readonly string[] Steps =
    [
        // 1: the initial schema, equivalent to SQLite steps 1-3.
        // Times are UTC ticks (100 ns since 0001-01-01): exact to the tick like the SQLite store's text, so an export
        // round-trips byte for byte (timestamptz keeps only microseconds).
        // Full text: a generated tsvector, English stemming after unaccent ("walked" finds "walking", "cafe" finds
        // "café"), over the first 100,000 characters (a tsvector cannot exceed 1 MB). unaccent and btree_gin are
        // trusted extensions: the database owner may create them without being a superuser. The GIN index leads with
        // the companion, so a search reads only that companion's postings, however many people share the server.
        // CASCADE: forgetting a companion forgets its turns, and forgetting a turn forgets its vector.
        """
        CREATE TABLE schema_history (
            version    integer PRIMARY KEY,
            applied_at bigint NOT NULL
        );

        CREATE EXTENSION IF NOT EXISTS unaccent;
        CREATE EXTENSION IF NOT EXISTS btree_gin;
        CREATE TEXT SEARCH CONFIGURATION kindred (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION kindred ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

        CREATE TABLE companions (
            id          text PRIMARY KEY,
            seq         bigint GENERATED ALWAYS AS IDENTITY, -- breaks ties in the listing, in the order stored
            name        text NOT NULL,
            woke_at     bigint NOT NULL,
            persona     text NOT NULL,
            traits      text NOT NULL, -- JSON array of strings
            person_name text NULL
        );

        CREATE TABLE turns (
            id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            companion_id text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            session_id   text NOT NULL,
            speaker      smallint NOT NULL,
            text         text NOT NULL,
            at           bigint NOT NULL,
            status       smallint NOT NULL,
            words        tsvector GENERATED ALWAYS AS (to_tsvector('kindred', left(text, 100000))) STORED
        );

        CREATE INDEX turns_by_companion ON turns (companion_id, id);
        CREATE INDEX turns_words ON turns USING gin (companion_id, words);

        CREATE TABLE turn_vectors (
            turn_id bigint PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE,
            vector  bytea NOT NULL -- little-endian float32, see Vectors/VectorCodec
        );
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Steps.Length;

    /// <summary>Brings the database up to <see cref="LatestVersion"/> in one transaction.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer Kindred.</exception>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Taken before reading the version, so two processes opening a fresh database cannot both run step 1.
                await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLockKey.ToString(CultureInfo.InvariantCulture)});", connection, transaction))
                {
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var current = 0;
                await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_history') IS NOT NULL;", connection, transaction))
                {
                    if ((bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        await using var version = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_history;", connection, transaction);
                        current = (int)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    }
                }

                if (current > LatestVersion)
                {
                    throw new InvalidOperationException(
                        $"The PostgreSQL memory database '{connection.Database}' has schema version {current}, but this Kindred only " +
                        $"knows versions up to {LatestVersion}: the data was written by a newer Kindred. Upgrade Kindred to open it; " +
                        "the database has not been changed.");
                }

                for (var version = current + 1; version <= LatestVersion; version++)
                {
                    await using var step = new NpgsqlCommand(
                        Steps[version - 1] + "\nINSERT INTO schema_history (version, applied_at) VALUES (@version, @appliedAt);",
                        connection,
                        transaction);
                    step.Parameters.AddWithValue("version", version);
                    step.Parameters.AddWithValue("appliedAt", timeProvider.GetUtcNow().UtcTicks);
                    await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
