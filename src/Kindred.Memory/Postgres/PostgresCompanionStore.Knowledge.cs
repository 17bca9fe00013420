using System.Globalization;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Npgsql;

namespace Kindred.Memory.Postgres;

// Facts and people (step 2 of the schema). The rules are the SQLite store's (SqliteCompanionStore.Knowledge.cs), and
// the contract tests hold both to them.
public sealed partial class PostgresCompanionStore
{
    private const string FactColumns =
        "f.id, f.companion_id, f.subject, f.attribute, f.value, f.text, f.person_id, f.source, f.valid_from, f.valid_to, f.superseded_by, " +
        "ARRAY(SELECT e.turn_id FROM fact_episodes e WHERE e.fact_id = f.id ORDER BY e.turn_id)";

    private const string PersonColumns =
        "p.id, p.companion_id, p.name, p.aliases, p.relation, p.first_mentioned_at, " +
        "ARRAY(SELECT e.turn_id FROM person_episodes e WHERE e.person_id = p.id ORDER BY e.turn_id)";

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFact>> GetFactsAsync(string companionId, bool includeSuperseded, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        await using var command = Sql(FactsSql(includeSuperseded), ("c", companionId));
        return await ReadAllAsync(command, ReadFact, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KnownPerson>> GetPeopleAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        await using var command = Sql(PeopleSql, ("c", companionId));
        return await ReadAllAsync(command, ReadPerson, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> GetExtractedThroughAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        await using var command = Sql("SELECT through_turn_id FROM knowledge_progress WHERE companion_id = @c;", ("c", companionId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long through ? through : 0;
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
        return InTransactionAsync(async (connection, transaction) =>
        {
            await LockKnowledgeAsync(connection, transaction, companionId, cancellationToken).ConfigureAwait(false);
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

            // Episodes of people: every turn of the batch that names them, whoever spoke it (and that still exists).
            foreach (var turn in turns)
            {
                foreach (var person in people.Where(p => p.AllNames.Any(name => Names.Mentions(turn.Text, name))))
                {
                    await ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO person_episodes (person_id, turn_id) SELECT @p, id FROM turns WHERE id = @t AND companion_id = @c ON CONFLICT DO NOTHING;",
                        cancellationToken,
                        ("p", person.Id),
                        ("t", turn.Id),
                        ("c", companionId)).ConfigureAwait(false);
                }
            }

            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO knowledge_progress (companion_id, through_turn_id) VALUES (@c, @t) " +
                "ON CONFLICT (companion_id) DO UPDATE SET through_turn_id = GREATEST(knowledge_progress.through_turn_id, excluded.through_turn_id);",
                cancellationToken,
                ("c", companionId),
                ("t", turns.Max(t => t.Id))).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StoredFact> CorrectFactAsync(string companionId, long factId, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        RejectNul(text, nameof(text));
        var id = await InTransactionAsync(async (connection, transaction) =>
        {
            await LockKnowledgeAsync(connection, transaction, companionId, cancellationToken).ConfigureAwait(false);
            var old = (await ReadFactsAsync(connection, transaction, companionId, includeSuperseded: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Id == factId)
                ?? throw new KeyNotFoundException($"There is no fact {factId} in what '{companionId}' knows.");
            if (!old.IsCurrent)
            {
                throw new InvalidOperationException($"Fact {factId} was already replaced by fact {old.SupersededBy?.ToString(CultureInfo.InvariantCulture) ?? "(forgotten)"}; correct the current one.");
            }

            var correction = new ExtractedFact(old.Subject, old.Attribute, text.Trim(), text.Trim(), null, 0);
            return await AddFactAsync(connection, transaction, companionId, correction, old.PersonId, KnowledgeSource.Person, at, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return (await GetFactsAsync(companionId, includeSuperseded: false, cancellationToken).ConfigureAwait(false)).Single(f => f.Id == id);
    }

    // Adds a fact, or only its episode when the same value already holds; closes the value it replaces.
    private static async Task<long> AddFactAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string companionId, ExtractedFact fact, long? personId, KnowledgeSource source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        long? currentId = null;
        string? currentValue = null;
        await using (var find = Sql(
            connection,
            transaction,
            "SELECT id, value FROM facts WHERE companion_id = @c AND lower(subject) = lower(@s) AND lower(attribute) = lower(@a) AND valid_to IS NULL ORDER BY id DESC LIMIT 1;",
            ("c", companionId),
            ("s", WithoutNul(fact.Subject.Trim())),
            ("a", WithoutNul(fact.Attribute.Trim()))))
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
        if (currentId is { } same && Names.Same(currentValue, WithoutNul(fact.Value)) && source != KnowledgeSource.Person)
        {
            id = same;
        }
        else
        {
            await using (var insert = Sql(
                connection,
                transaction,
                "INSERT INTO facts (companion_id, subject, attribute, value, text, person_id, source, valid_from) " +
                "VALUES (@c, @s, @a, @v, @text, @p, @source, @from) RETURNING id;",
                ("c", companionId),
                ("s", WithoutNul(fact.Subject.Trim())),
                ("a", WithoutNul(fact.Attribute.Trim())),
                ("v", WithoutNul(fact.Value.Trim())),
                ("text", WithoutNul(fact.Text.Trim())),
                ("p", personId),
                ("source", (int)source),
                ("from", at.UtcTicks)))
            {
                id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            if (currentId is { } replaced)
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    "UPDATE facts SET valid_to = @to, superseded_by = @by WHERE id = @id;",
                    cancellationToken,
                    ("to", at.UtcTicks),
                    ("by", id),
                    ("id", replaced)).ConfigureAwait(false);
            }
        }

        if (fact.TurnId > 0)
        {
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO fact_episodes (fact_id, turn_id) SELECT @f, id FROM turns WHERE id = @t AND companion_id = @c ON CONFLICT DO NOTHING;",
                cancellationToken,
                ("f", id),
                ("t", fact.TurnId),
                ("c", companionId)).ConfigureAwait(false);
        }

        return id;
    }

    // Finds the person by name or alias, merging what is new about them, or adds them.
    private static async Task<KnownPerson> UpsertPersonAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string companionId,
        List<KnownPerson> people,
        string name,
        IReadOnlyList<string> aliases,
        string? relation,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var mention = PersonMention.Resolve(people, name, aliases, relation, static n => WithoutNul(n.Trim()));
        if (mention.IsNew)
        {
            await using var insert = Sql(
                connection,
                transaction,
                "INSERT INTO people (companion_id, name, aliases, relation, first_mentioned_at) VALUES (@c, @n, @a, @r, @at) RETURNING id;",
                ("c", companionId),
                ("n", mention.Name),
                ("a", mention.Aliases.ToArray()),
                ("r", mention.Relation),
                ("at", at.UtcTicks));
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            var added = new KnownPerson(id, companionId, mention.Name, mention.Aliases, mention.Relation, at.ToUniversalTime(), []);
            people.Add(added);
            return added;
        }

        var updated = people[mention.Index] with { Aliases = mention.Aliases, Relation = mention.Relation };
        if (mention.Changed)
        {
            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE people SET aliases = @a, relation = @r WHERE id = @id;",
                cancellationToken,
                ("a", updated.Aliases.ToArray()),
                ("r", updated.Relation),
                ("id", updated.Id)).ConfigureAwait(false);
            people[mention.Index] = updated;
        }

        return updated;
    }

    private static string FactsSql(bool includeSuperseded) =>
        $"SELECT {FactColumns} FROM facts f WHERE f.companion_id = @c {(includeSuperseded ? "" : "AND f.valid_to IS NULL")} ORDER BY f.id;";

    private const string PeopleSql = $"SELECT {PersonColumns} FROM people p WHERE p.companion_id = @c ORDER BY p.id;";

    private static async Task<IReadOnlyList<StoredFact>> ReadFactsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string companionId, bool includeSuperseded, CancellationToken cancellationToken)
    {
        await using var command = Sql(connection, transaction, FactsSql(includeSuperseded), ("c", companionId));
        return await ReadAllAsync(command, ReadFact, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<KnownPerson>> ReadPeopleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string companionId, CancellationToken cancellationToken)
    {
        await using var command = Sql(connection, transaction, PeopleSql, ("c", companionId));
        return await ReadAllAsync(command, ReadPerson, cancellationToken).ConfigureAwait(false);
    }

    private static StoredFact ReadFact(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        NullableInt64(reader, 6),
        (KnowledgeSource)reader.GetInt32(7),
        FromTicks(reader.GetInt64(8)),
        reader.IsDBNull(9) ? null : FromTicks(reader.GetInt64(9)),
        NullableInt64(reader, 10),
        reader.GetFieldValue<long[]>(11));

    private static KnownPerson ReadPerson(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<string[]>(3),
        NullableString(reader, 4),
        FromTicks(reader.GetInt64(5)),
        reader.GetFieldValue<long[]>(6));
}
