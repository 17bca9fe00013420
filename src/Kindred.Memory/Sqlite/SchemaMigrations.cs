using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

/// <summary>
/// The store's schema as an ordered list of forward-only steps. PRAGMA user_version holds how many have been applied;
/// a step, once shipped, is never edited (a database in the wild has already run it), only followed by new ones.
/// </summary>
internal static class SchemaMigrations
{
    private static readonly string[] Steps =
    [
        // 1: the initial schema. STRICT makes SQLite reject a value of the wrong type instead of quietly storing it.
        // Times are UTC ISO-8601 round-trip text ("o" format): exact to the tick, readable, and sortable as text.
        """
        CREATE TABLE schema_history (
            version    INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE companions (
            id          TEXT PRIMARY KEY NOT NULL,
            name        TEXT NOT NULL,
            woke_at     TEXT NOT NULL,
            persona     TEXT NOT NULL,
            traits      TEXT NOT NULL, -- JSON array of strings
            person_name TEXT NULL
        ) STRICT;

        -- AUTOINCREMENT so an id is never reused, even after deletions: history paging by id stays sound.
        -- CASCADE so forgetting a companion, when a person asks, cannot leave their words behind.
        CREATE TABLE turns (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            companion_id TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            session_id   TEXT NOT NULL,
            speaker      INTEGER NOT NULL,
            text         TEXT NOT NULL,
            at           TEXT NOT NULL,
            status       INTEGER NOT NULL
        ) STRICT;

        CREATE INDEX turns_by_companion ON turns (companion_id, id);
        """,

        // 2: full-text search over turns. External content: the words live once, in turns; the index holds only
        // terms and positions. Triggers keep it in step with every write, including the cascade when a companion is
        // forgotten. FTS5's 'delete' must be handed the old text (it cannot look it up once the row is gone), or the
        // forgotten words would stay in the index. The closing 'rebuild' indexes turns stored before this step.
        // porter after unicode61: "walked" finds "walking"; remove_diacritics 2 lets "cafe" find "café".
        """
        CREATE VIRTUAL TABLE turns_fts USING fts5 (
            text,
            content = 'turns',
            content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        );

        CREATE TRIGGER turns_fts_after_insert AFTER INSERT ON turns BEGIN
            INSERT INTO turns_fts (rowid, text) VALUES (new.id, new.text);
        END;

        CREATE TRIGGER turns_fts_after_delete AFTER DELETE ON turns BEGIN
            INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;

        CREATE TRIGGER turns_fts_after_update AFTER UPDATE OF id, text ON turns BEGIN
            INSERT INTO turns_fts (turns_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO turns_fts (rowid, text) VALUES (new.id, new.text);
        END;

        INSERT INTO turns_fts (turns_fts) VALUES ('rebuild');
        """,

        // 3: each turn's embedding, little-endian float32 (see Vectors/VectorCodec). CASCADE: forgetting a turn
        // forgets what it meant too. Turns stored before this step get vectors when they are next indexed.
        """
        CREATE TABLE turn_vectors (
            turn_id INTEGER PRIMARY KEY NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
            vector  BLOB NOT NULL
        ) STRICT;
        """,

        // 4: what the companion knows beyond the words themselves (Knowledge/): people in the person's life, facts
        // with the episodes they came from and the span of time they held, session summaries, the companion's own
        // reflections, and how far extraction has read. A fact that stops being true is closed (valid_to,
        // superseded_by), never deleted, so history stays answerable. Everything cascades from the companion; a fact
        // or person cascades to its episode links; a fact about a forgotten person goes with them. Triggers drop a
        // learned fact once the last episode it came from is forgotten, and a session's summary and reflections when
        // one of its turns is, so forgetting a turn forgets what it taught.
        """
        CREATE TABLE people (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,
            companion_id       TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            name               TEXT NOT NULL,
            aliases            TEXT NOT NULL, -- JSON array of strings
            relation           TEXT NULL,
            first_mentioned_at TEXT NOT NULL
        ) STRICT;

        CREATE INDEX people_by_companion ON people (companion_id, id);

        CREATE TABLE person_episodes (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            turn_id   INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
            PRIMARY KEY (person_id, turn_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE facts (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            companion_id  TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            subject       TEXT NOT NULL, -- 'person' for the person themself, else the name of someone in their life
            attribute     TEXT NOT NULL,
            value         TEXT NOT NULL,
            text          TEXT NOT NULL,
            person_id     INTEGER NULL REFERENCES people(id) ON DELETE CASCADE,
            source        INTEGER NOT NULL,
            valid_from    TEXT NOT NULL,
            valid_to      TEXT NULL,
            superseded_by INTEGER NULL REFERENCES facts(id) ON DELETE SET NULL
        ) STRICT;

        CREATE INDEX facts_by_key ON facts (companion_id, subject COLLATE NOCASE, attribute COLLATE NOCASE, valid_to);

        CREATE TABLE fact_episodes (
            fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
            PRIMARY KEY (fact_id, turn_id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX fact_episodes_by_turn ON fact_episodes (turn_id);
        CREATE INDEX person_episodes_by_turn ON person_episodes (turn_id);

        CREATE TRIGGER facts_forgotten_with_their_episodes AFTER DELETE ON fact_episodes
        WHEN NOT EXISTS (SELECT 1 FROM fact_episodes WHERE fact_id = old.fact_id) BEGIN
            DELETE FROM facts WHERE id = old.fact_id AND source <> 2;
        END;

        CREATE TABLE summaries (
            companion_id  TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            session_id    TEXT NOT NULL,
            text          TEXT NOT NULL,
            first_turn_id INTEGER NOT NULL,
            last_turn_id  INTEGER NOT NULL,
            at            TEXT NOT NULL,
            source        INTEGER NOT NULL,
            PRIMARY KEY (companion_id, session_id)
        ) STRICT;

        -- A summary (and the reflection on it) may quote a turn; when the turn is forgotten they go too, and the
        -- session is summarised again from what is left.
        CREATE TRIGGER summaries_forgotten_with_their_turns AFTER DELETE ON turns BEGIN
            DELETE FROM summaries WHERE companion_id = old.companion_id AND session_id = old.session_id;
            DELETE FROM reflections WHERE companion_id = old.companion_id AND session_id = old.session_id;
        END;

        CREATE TABLE reflections (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            companion_id TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            session_id   TEXT NULL,
            text         TEXT NOT NULL,
            at           TEXT NOT NULL
        ) STRICT;

        CREATE TABLE knowledge_progress (
            companion_id    TEXT PRIMARY KEY NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            through_turn_id INTEGER NOT NULL
        ) STRICT;
        """,

        // 5: the companion's inner life (see Storage/InnerLifeStore*.cs): appraisals of the person's turns, persona
        // versions, relationship milestones, open threads, scheduled outreach, the on/off switch with the person's
        // outreach settings, and its reflections. Every table cascades from companions, so forgetting a companion forgets all of it; what
        // was drawn from one turn (its appraisal, a reminder or follow-up it asked for) cascades from that turn, so
        // forgetting a turn forgets those too.
        """
        CREATE TABLE inner_appraisals (
            turn_id      INTEGER PRIMARY KEY NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
            companion_id TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            at           TEXT NOT NULL,
            valence      REAL NOT NULL,
            arousal      REAL NOT NULL,
            emotions     TEXT NOT NULL, -- JSON array of strings
            need         INTEGER NOT NULL,
            source       INTEGER NOT NULL
        ) STRICT;

        CREATE INDEX inner_appraisals_by_companion ON inner_appraisals (companion_id, at);

        CREATE TABLE inner_persona_versions (
            companion_id     TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            version          INTEGER NOT NULL,
            at               TEXT NOT NULL,
            persona          TEXT NOT NULL, -- JSON: traits, interests, self-description
            kind             INTEGER NOT NULL,
            reason           TEXT NOT NULL,
            reverts_version  INTEGER NULL,
            PRIMARY KEY (companion_id, version)
        ) STRICT;

        CREATE TABLE inner_milestones (
            companion_id TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            kind         INTEGER NOT NULL,
            at           TEXT NOT NULL,
            turn_id      INTEGER NULL REFERENCES turns(id) ON DELETE SET NULL,
            PRIMARY KEY (companion_id, kind)
        ) STRICT;

        CREATE TABLE inner_threads (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            companion_id   TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            about          TEXT NOT NULL,
            raised_at      TEXT NOT NULL,
            follow_up_at   TEXT NOT NULL,
            source_turn_id INTEGER NULL REFERENCES turns(id) ON DELETE CASCADE,
            closed_at      TEXT NULL
        ) STRICT;

        CREATE INDEX inner_threads_by_companion ON inner_threads (companion_id, closed_at, follow_up_at);

        CREATE TABLE inner_outreach (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            companion_id   TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            kind           INTEGER NOT NULL,
            text           TEXT NOT NULL,
            due_at         TEXT NOT NULL,
            created_at     TEXT NOT NULL,
            status         INTEGER NOT NULL,
            delivered_at   TEXT NULL,
            source_turn_id INTEGER NULL REFERENCES turns(id) ON DELETE CASCADE
        ) STRICT;

        CREATE INDEX inner_outreach_by_companion ON inner_outreach (companion_id, status, due_at);

        CREATE TABLE inner_settings (
            companion_id  TEXT PRIMARY KEY NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            is_off        INTEGER NOT NULL DEFAULT 0,
            switched_at   TEXT NULL,
            time_zone     TEXT NULL,
            quiet_from    INTEGER NULL, -- minutes after local midnight
            quiet_until   INTEGER NULL,
            daily_limit   INTEGER NULL
        ) STRICT;

        CREATE TABLE inner_reflections (
            id                    INTEGER PRIMARY KEY AUTOINCREMENT,
            companion_id          TEXT NOT NULL REFERENCES companions(id) ON DELETE CASCADE,
            at                    TEXT NOT NULL,
            trigger_kind          INTEGER NOT NULL,
            covers_until_turn_id  INTEGER NOT NULL,
            summary               TEXT NOT NULL,
            insights              TEXT NOT NULL, -- JSON array of strings
            about_herself         TEXT NOT NULL,
            source                INTEGER NOT NULL,
            persona_version       INTEGER NULL
        ) STRICT;

        CREATE INDEX inner_reflections_by_companion ON inner_reflections (companion_id, id);
        """,

        // 6: the full-text index of step 2 goes. Recall searches words in memory (Recall/Words), and nothing read
        // this index any more, while every append paid for it. secure_delete zeroes the pages the drop frees.
        """
        DROP TRIGGER turns_fts_after_insert;
        DROP TRIGGER turns_fts_after_delete;
        DROP TRIGGER turns_fts_after_update;
        DROP TABLE turns_fts;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Steps.Length;

    /// <summary>
    /// Brings the database up to <see cref="LatestVersion"/> in one transaction, so a crash mid-upgrade leaves the
    /// old schema intact rather than half of the new one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer Kindred.</exception>
    public static Task MigrateAsync(SqliteConnection connection, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        MigrateAsync(connection, timeProvider, LatestVersion, cancellationToken);

    /// <summary>Brings the database up to <paramref name="targetVersion"/>; below the latest only to build old files in tests.</summary>
    internal static async Task MigrateAsync(SqliteConnection connection, TimeProvider timeProvider, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);

        // IMMEDIATE takes the write lock before reading the version, so two processes opening a fresh file cannot
        // both decide to run step 1.
        using var transaction = connection.BeginTransaction(deferred: false);

        var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The memory database '{connection.DataSource}' has schema version {current}, but this Kindred only knows " +
                $"versions up to {LatestVersion}: the data was written by a newer Kindred. Upgrade Kindred to open it; " +
                "the file has not been changed.");
        }

        for (var version = current + 1; version <= targetVersion; version++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Steps[version - 1] +
                $"\nINSERT INTO schema_history (version, applied_at) VALUES ($version, $appliedAt);" +
                $"\nPRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)};";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$appliedAt", StoredTime.Format(timeProvider.GetUtcNow()));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(result, CultureInfo.InvariantCulture);
    }
}
