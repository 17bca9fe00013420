using System.Globalization;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore : IKnowledgeStore
{
    private const string FactColumns = "id, companion_id, subject, attribute, value, text, person_id, source, valid_from, valid_to, superseded_by";
    private const string PersonColumns = "id, companion_id, name, aliases, relation, first_mentioned_at";

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFact>> GetFactsAsync(string companionId, bool includeSuperseded, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync(connection => ReadFactsAsync(connection, null, companionId, includeSuperseded, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<KnownPerson>> GetPeopleAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync(connection => ReadPeopleAsync(connection, null, companionId, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> GetExtractedThroughAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync(async connection =>
        {
            using var command = KnowledgeCommand(connection, null, "SELECT through_turn_id FROM knowledge_progress WHERE companion_id = $c;", ("$c", companionId));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long through ? through : 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ApplyExtractionAsync(string companionId, IReadOnlyList<StoredTurn> turns, Extraction extraction, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(extraction);
        if (turns.Count == 0)
        {
            return Task.CompletedTask;
        }

        var turnsById = turns.ToDictionary(t => t.Id);
        return WriteAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var people = (await ReadPeopleAsync(connection, transaction, companionId, cancellationToken).ConfigureAwait(false)).ToList();

            foreach (var mention in extraction.People.Where(p => turnsById.ContainsKey(p.TurnId)))
            {
                await UpsertPersonAsync(connection, transaction, companionId, people, mention.Name, mention.Aliases, mention.Relation, turnsById[mention.TurnId].At, cancellationToken).ConfigureAwait(false);
            }

            foreach (var fact in extraction.Facts.Where(f => turnsById.ContainsKey(f.TurnId)))
            {
                var at = turnsById[fact.TurnId].At;
                var about = fact.About ?? (fact.Subject.Equals(FactSubject.Person, StringComparison.OrdinalIgnoreCase) ? null : fact.Subject);
                long? personId = about is null
                    ? null
                    : (await UpsertPersonAsync(connection, transaction, companionId, people, about, [], null, at, cancellationToken).ConfigureAwait(false)).Id;
                await AddFactAsync(connection, transaction, companionId, fact, personId, extraction.Source, at, cancellationToken).ConfigureAwait(false);
            }

            // Episodes of people: every turn of the batch that names them, whoever spoke it.
            foreach (var turn in turns)
            {
                foreach (var person in people.Where(p => p.AllNames.Any(name => Names.Mentions(turn.Text, name))))
                {
                    await ExecuteKnowledgeAsync(connection, transaction, "INSERT OR IGNORE INTO person_episodes (person_id, turn_id) VALUES ($p, $t);", cancellationToken, ("$p", person.Id), ("$t", turn.Id)).ConfigureAwait(false);
                }
            }

            await ExecuteKnowledgeAsync(
                connection,
                transaction,
                "INSERT INTO knowledge_progress (companion_id, through_turn_id) VALUES ($c, $t) " +
                "ON CONFLICT (companion_id) DO UPDATE SET through_turn_id = max(through_turn_id, excluded.through_turn_id);",
                cancellationToken,
                ("$c", companionId),
                ("$t", turns.Max(t => t.Id))).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredFact> CorrectFactAsync(string companionId, long factId, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return WriteAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var facts = await ReadFactsAsync(connection, transaction, companionId, includeSuperseded: true, cancellationToken).ConfigureAwait(false);
            var old = facts.FirstOrDefault(f => f.Id == factId)
                ?? throw new KeyNotFoundException($"There is no fact {factId} in what '{companionId}' knows.");
            if (!old.IsCurrent)
            {
                throw new InvalidOperationException($"Fact {factId} was already replaced by fact {old.SupersededBy?.ToString(CultureInfo.InvariantCulture) ?? "(forgotten)"}; correct the current one.");
            }

            var correction = new ExtractedFact(old.Subject, old.Attribute, text.Trim(), text.Trim(), null, 0);
            var id = await AddFactAsync(connection, transaction, companionId, correction, old.PersonId, KnowledgeSource.Person, at, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (await ReadFactsAsync(connection, null, companionId, includeSuperseded: false, cancellationToken).ConfigureAwait(false)).Single(f => f.Id == id);
        }, cancellationToken);
    }

    // Adds a fact, or only its episode when the same value already holds; closes the value it replaces.
    private static async Task<long> AddFactAsync(SqliteConnection connection, SqliteTransaction transaction, string companionId, ExtractedFact fact, long? personId, KnowledgeSource source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        long? currentId = null;
        string? currentValue = null;
        using (var find = KnowledgeCommand(
            connection,
            transaction,
            "SELECT id, value FROM facts WHERE companion_id = $c AND subject = $s COLLATE NOCASE AND attribute = $a COLLATE NOCASE AND valid_to IS NULL ORDER BY id DESC LIMIT 1;",
            ("$c", companionId),
            ("$s", fact.Subject),
            ("$a", fact.Attribute)))
        {
            var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    currentId = reader.GetInt64(0);
                    currentValue = reader.GetString(1);
                }
            }
        }

        long id;
        if (currentId is { } same && Names.Same(currentValue, fact.Value) && source != KnowledgeSource.Person)
        {
            id = same;
        }
        else
        {
            using var insert = KnowledgeCommand(
                connection,
                transaction,
                "INSERT INTO facts (companion_id, subject, attribute, value, text, person_id, source, valid_from) " +
                "VALUES ($c, $s, $a, $v, $text, $p, $source, $from) RETURNING id;",
                ("$c", companionId),
                ("$s", fact.Subject.Trim()),
                ("$a", fact.Attribute.Trim()),
                ("$v", fact.Value.Trim()),
                ("$text", fact.Text.Trim()),
                ("$p", personId),
                ("$source", (int)source),
                ("$from", StoredTime.Format(at)));
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (currentId is { } replaced)
            {
                await ExecuteKnowledgeAsync(
                    connection,
                    transaction,
                    "UPDATE facts SET valid_to = $to, superseded_by = $by WHERE id = $id;",
                    cancellationToken,
                    ("$to", StoredTime.Format(at)),
                    ("$by", id),
                    ("$id", replaced)).ConfigureAwait(false);
            }
        }

        if (fact.TurnId > 0)
        {
            await ExecuteKnowledgeAsync(
                connection,
                transaction,
                "INSERT OR IGNORE INTO fact_episodes (fact_id, turn_id) SELECT $f, id FROM turns WHERE id = $t AND companion_id = $c;",
                cancellationToken,
                ("$f", id),
                ("$t", fact.TurnId),
                ("$c", companionId)).ConfigureAwait(false);
        }

        return id;
    }

    // Finds the person by name or alias, merging what is new about them, or adds them; links the turn either way.
    private static async Task<KnownPerson> UpsertPersonAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string companionId,
        List<KnownPerson> people,
        string name,
        IReadOnlyList<string> aliases,
        string? relation,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var mention = PersonMention.Resolve(people, name, aliases, relation, static n => n.Trim());
        if (mention.IsNew)
        {
            using var insert = KnowledgeCommand(
                connection,
                transaction,
                "INSERT INTO people (companion_id, name, aliases, relation, first_mentioned_at) VALUES ($c, $n, $a, $r, $at) RETURNING id;",
                ("$c", companionId),
                ("$n", mention.Name),
                ("$a", TraitsJson.Serialize(mention.Aliases)),
                ("$r", mention.Relation),
                ("$at", StoredTime.Format(at)));
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            var added = new KnownPerson(id, companionId, mention.Name, mention.Aliases, mention.Relation, at.ToUniversalTime(), []);
            people.Add(added);
            return added;
        }

        var updated = people[mention.Index] with { Aliases = mention.Aliases, Relation = mention.Relation };
        if (mention.Changed)
        {
            await ExecuteKnowledgeAsync(
                connection,
                transaction,
                "UPDATE people SET aliases = $a, relation = $r WHERE id = $id;",
                cancellationToken,
                ("$a", TraitsJson.Serialize(updated.Aliases)),
                ("$r", updated.Relation),
                ("$id", updated.Id)).ConfigureAwait(false);
            people[mention.Index] = updated;
        }

        return updated;
    }

    private static async Task<IReadOnlyList<StoredFact>> ReadFactsAsync(SqliteConnection connection, SqliteTransaction? transaction, string companionId, bool includeSuperseded, CancellationToken cancellationToken)
    {
        var episodes = await ReadLinksAsync(
            connection,
            transaction,
            "SELECT e.fact_id, e.turn_id FROM fact_episodes e JOIN facts f ON f.id = e.fact_id WHERE f.companion_id = $c ORDER BY e.fact_id, e.turn_id;",
            companionId,
            cancellationToken).ConfigureAwait(false);
        using var command = KnowledgeCommand(
            connection,
            transaction,
            $"SELECT {FactColumns} FROM facts WHERE companion_id = $c {(includeSuperseded ? "" : "AND valid_to IS NULL")} ORDER BY id;",
            ("$c", companionId));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var facts = new List<StoredFact>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                facts.Add(new StoredFact(
                    id,
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    (KnowledgeSource)reader.GetInt32(7),
                    StoredTime.Parse(reader.GetString(8)),
                    reader.IsDBNull(9) ? null : StoredTime.Parse(reader.GetString(9)),
                    reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    episodes.GetValueOrDefault(id, [])));
            }

            return facts;
        }
    }

    private static async Task<IReadOnlyList<KnownPerson>> ReadPeopleAsync(SqliteConnection connection, SqliteTransaction? transaction, string companionId, CancellationToken cancellationToken)
    {
        var episodes = await ReadLinksAsync(
            connection,
            transaction,
            "SELECT e.person_id, e.turn_id FROM person_episodes e JOIN people p ON p.id = e.person_id WHERE p.companion_id = $c ORDER BY e.person_id, e.turn_id;",
            companionId,
            cancellationToken).ConfigureAwait(false);
        using var command = KnowledgeCommand(connection, transaction, $"SELECT {PersonColumns} FROM people WHERE companion_id = $c ORDER BY id;", ("$c", companionId));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var people = new List<KnownPerson>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                people.Add(new KnownPerson(
                    id,
                    reader.GetString(1),
                    reader.GetString(2),
                    TraitsJson.Deserialize(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    StoredTime.Parse(reader.GetString(5)),
                    episodes.GetValueOrDefault(id, [])));
            }

            return people;
        }
    }

    private static async Task<Dictionary<long, List<long>>> ReadLinksAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, string companionId, CancellationToken cancellationToken)
    {
        using var command = KnowledgeCommand(connection, transaction, sql, ("$c", companionId));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var links = new Dictionary<long, List<long>>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var owner = reader.GetInt64(0);
                if (!links.TryGetValue(owner, out var list))
                {
                    links[owner] = list = [];
                }

                list.Add(reader.GetInt64(1));
            }

            return links;
        }
    }

    private static SqliteCommand KnowledgeCommand(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteKnowledgeAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = KnowledgeCommand(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
