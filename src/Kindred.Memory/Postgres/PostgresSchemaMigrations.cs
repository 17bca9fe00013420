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

        // 2: what the companion knows and its inner life, equivalent to SQLite steps 4 and 5 (see there for why each
        // table cascades as it does). Lists are text[]; a persona is JSON text, as in SQLite. The two triggers are
        // statement-level with a transition table, so forgetting a companion with a million turns runs each once per
        // statement, not once per row: a learned fact goes once the last episode it came from is forgotten, and a
        // session's summary and reflections go when one of its turns does.
        """
        CREATE TABLE people (
            id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            companion_id       text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            name               text NOT NULL,
            aliases            text[] NOT NULL,
            relation           text NULL,
            first_mentioned_at bigint NOT NULL
        );

        CREATE INDEX people_by_companion ON people (companion_id, id);

        CREATE TABLE person_episodes (
            person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
            turn_id   bigint NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
            PRIMARY KEY (person_id, turn_id)
        );

        CREATE INDEX person_episodes_by_turn ON person_episodes (turn_id);

        CREATE TABLE facts (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            companion_id  text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            subject       text NOT NULL, -- 'person' for the person themself, else the name of someone in their life
            attribute     text NOT NULL,
            value         text NOT NULL,
            text          text NOT NULL,
            person_id     bigint NULL REFERENCES people (id) ON DELETE CASCADE,
            source        integer NOT NULL,
            valid_from    bigint NOT NULL,
            valid_to      bigint NULL,
            superseded_by bigint NULL REFERENCES facts (id) ON DELETE SET NULL
        );

        CREATE INDEX facts_by_companion ON facts (companion_id, id);
        CREATE INDEX facts_current_by_key ON facts (companion_id, lower(subject), lower(attribute)) WHERE valid_to IS NULL;
        CREATE INDEX facts_by_person ON facts (person_id);
        CREATE INDEX facts_by_replacement ON facts (superseded_by);

        CREATE TABLE fact_episodes (
            fact_id bigint NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
            turn_id bigint NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
            PRIMARY KEY (fact_id, turn_id)
        );

        CREATE INDEX fact_episodes_by_turn ON fact_episodes (turn_id);

        CREATE FUNCTION kindred_forget_facts_without_episodes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM facts f
            WHERE f.id IN (SELECT fact_id FROM gone) AND f.source <> 2
              AND NOT EXISTS (SELECT 1 FROM fact_episodes e WHERE e.fact_id = f.id);
            RETURN NULL;
        END
        $$;

        CREATE TRIGGER facts_forgotten_with_their_episodes AFTER DELETE ON fact_episodes
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION kindred_forget_facts_without_episodes();

        CREATE TABLE summaries (
            companion_id  text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            session_id    text NOT NULL,
            text          text NOT NULL,
            first_turn_id bigint NOT NULL,
            last_turn_id  bigint NOT NULL,
            at            bigint NOT NULL,
            source        integer NOT NULL,
            PRIMARY KEY (companion_id, session_id)
        );

        CREATE TABLE reflections (
            id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            companion_id text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            session_id   text NULL,
            text         text NOT NULL,
            at           bigint NOT NULL
        );

        CREATE INDEX reflections_by_session ON reflections (companion_id, session_id);

        CREATE FUNCTION kindred_forget_summaries_of_forgotten_turns() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM summaries s USING (SELECT DISTINCT companion_id, session_id FROM gone) g
            WHERE s.companion_id = g.companion_id AND s.session_id = g.session_id;
            DELETE FROM reflections r USING (SELECT DISTINCT companion_id, session_id FROM gone) g
            WHERE r.companion_id = g.companion_id AND r.session_id = g.session_id;
            RETURN NULL;
        END
        $$;

        CREATE TRIGGER summaries_forgotten_with_their_turns AFTER DELETE ON turns
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION kindred_forget_summaries_of_forgotten_turns();

        CREATE TABLE knowledge_progress (
            companion_id    text PRIMARY KEY REFERENCES companions (id) ON DELETE CASCADE,
            through_turn_id bigint NOT NULL
        );

        CREATE TABLE inner_appraisals (
            turn_id      bigint PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE,
            companion_id text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            at           bigint NOT NULL,
            valence      double precision NOT NULL,
            arousal      double precision NOT NULL,
            emotions     text[] NOT NULL,
            need         integer NOT NULL,
            source       integer NOT NULL
        );

        CREATE INDEX inner_appraisals_by_companion ON inner_appraisals (companion_id, at);

        CREATE TABLE inner_persona_versions (
            companion_id    text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            version         integer NOT NULL,
            at              bigint NOT NULL,
            persona         text NOT NULL, -- JSON: traits, interests, self-description
            kind            integer NOT NULL,
            reason          text NOT NULL,
            reverts_version integer NULL,
            PRIMARY KEY (companion_id, version)
        );

        CREATE TABLE inner_milestones (
            companion_id text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            kind         integer NOT NULL,
            at           bigint NOT NULL,
            turn_id      bigint NULL REFERENCES turns (id) ON DELETE SET NULL,
            PRIMARY KEY (companion_id, kind)
        );

        CREATE INDEX inner_milestones_by_turn ON inner_milestones (turn_id);

        CREATE TABLE inner_threads (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            companion_id   text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            about          text NOT NULL,
            raised_at      bigint NOT NULL,
            follow_up_at   bigint NOT NULL,
            source_turn_id bigint NULL REFERENCES turns (id) ON DELETE CASCADE,
            closed_at      bigint NULL
        );

        CREATE INDEX inner_threads_by_companion ON inner_threads (companion_id, closed_at, follow_up_at);
        CREATE INDEX inner_threads_by_turn ON inner_threads (source_turn_id);

        CREATE TABLE inner_outreach (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            companion_id   text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            kind           integer NOT NULL,
            text           text NOT NULL,
            due_at         bigint NOT NULL,
            created_at     bigint NOT NULL,
            status         integer NOT NULL,
            delivered_at   bigint NULL,
            source_turn_id bigint NULL REFERENCES turns (id) ON DELETE CASCADE
        );

        CREATE INDEX inner_outreach_by_companion ON inner_outreach (companion_id, status, due_at);
        CREATE INDEX inner_outreach_by_turn ON inner_outreach (source_turn_id);

        CREATE TABLE inner_settings (
            companion_id text PRIMARY KEY REFERENCES companions (id) ON DELETE CASCADE,
            is_off       boolean NOT NULL DEFAULT false,
            switched_at  bigint NULL,
            time_zone    text NULL,
            quiet_from   integer NULL, -- minutes after local midnight
            quiet_until  integer NULL,
            daily_limit  integer NULL
        );

        CREATE TABLE inner_reflections (
            id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            companion_id         text NOT NULL REFERENCES companions (id) ON DELETE CASCADE,
            at                   bigint NOT NULL,
            trigger_kind         integer NOT NULL,
            covers_until_turn_id bigint NOT NULL,
            summary              text NOT NULL,
            insights             text[] NOT NULL,
            about_herself        text NOT NULL,
            source               integer NOT NULL,
            persona_version      integer NULL
        );

        CREATE INDEX inner_reflections_by_companion ON inner_reflections (companion_id, id);
        """,

        // 3: the generated tsvector of step 1 and its GIN index go. Recall searches words in memory (Recall/Words),
        // and nothing read them any more, while every append paid for them. Dropping the column marks it gone at
        // once; its bytes leave the table's pages as rows are rewritten (VACUUM FULL turns does it at once).
        """
        DROP INDEX turns_words;
        ALTER TABLE turns DROP COLUMN words;
        DROP TEXT SEARCH CONFIGURATION kindred;
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
