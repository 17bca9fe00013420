using Kindred.Core;
using Kindred.Memory.Storage;
using Npgsql;

namespace Kindred.Memory.Postgres;

// Companions: who they are, and their relationship with their person.
internal sealed partial class PostgresTurns
{
    private const string CompanionColumns = "id, name, woke_at, persona, traits";

    /// <inheritdoc />
    public async Task<CompanionIdentity?> FindCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        await using var command = database.Sql($"SELECT {CompanionColumns} FROM companions WHERE id = @id;");
        command.Parameters.AddWithValue("id", companionId);
        return await ReadCompanionOrNullAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CompanionIdentity> CreateCompanionAsync(CompanionIdentity identity, CancellationToken cancellationToken)
    {
        foreach (var text in identity.Traits.Prepend(identity.Persona).Prepend(identity.Name).Prepend(identity.CompanionId))
        {
            PostgresDatabase.RejectNul(text, nameof(identity));
        }

        // Two statements, so the read takes a fresh snapshot: when another process stored the same id first, the insert
        // does nothing and the read sees the winner's row. Whoever woke the companion first keeps the name.
        await using var batch = database.DataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand(
            $"INSERT INTO companions ({CompanionColumns}) VALUES (@id, @name, @wokeAt, @persona, @traits) ON CONFLICT (id) DO NOTHING;");
        insert.Parameters.AddWithValue("id", identity.CompanionId);
        insert.Parameters.AddWithValue("name", identity.Name);
        insert.Parameters.AddWithValue("wokeAt", identity.WokeAt.UtcTicks);
        insert.Parameters.AddWithValue("persona", identity.Persona);
        insert.Parameters.AddWithValue("traits", TraitsJson.Serialize(identity.Traits));
        var select = new NpgsqlBatchCommand($"SELECT {CompanionColumns} FROM companions WHERE id = @id;");
        select.Parameters.AddWithValue("id", identity.CompanionId);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(select);
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? ReadCompanion(reader)
                : throw new InvalidOperationException($"Companion '{identity.CompanionId}' was not found right after being stored.");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CompanionIdentity>> ListCompanionsAsync(CancellationToken cancellationToken)
    {
        await using var command = database.Sql($"SELECT {CompanionColumns} FROM companions ORDER BY woke_at, seq;");
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var companions = new List<CompanionIdentity>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                companions.Add(ReadCompanion(reader));
            }

            return companions;
        }
    }

    /// <inheritdoc />
    public async Task<Relationship> GetRelationshipAsync(string companionId, CancellationToken cancellationToken)
    {

        // One statement, so the count and the last time come from the same snapshot.
        await using var command = database.Sql(
            "SELECT c.person_name, c.woke_at, " +
            "(SELECT count(*) FROM turns t WHERE t.companion_id = c.id), " +
            "(SELECT max(t.at) FROM turns t WHERE t.companion_id = c.id) " +
            "FROM companions c WHERE c.id = @id;");
        command.Parameters.AddWithValue("id", companionId);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw StoreErrors.UnknownCompanion(companionId);
            }

            return new Relationship(
                companionId,
                reader.IsDBNull(0) ? null : reader.GetString(0),
                PostgresDatabase.FromTicks(reader.GetInt64(1)),
                checked((int)reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : PostgresDatabase.FromTicks(reader.GetInt64(3)));
        }
    }

    /// <inheritdoc />
    public async Task SetPersonNameAsync(string companionId, string personName, CancellationToken cancellationToken)
    {
        PostgresDatabase.RejectNul(personName, nameof(personName));
        await using var command = database.Sql("UPDATE companions SET person_name = @personName WHERE id = @id;");
        command.Parameters.AddWithValue("id", companionId);
        command.Parameters.AddWithValue("personName", personName);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw StoreErrors.UnknownCompanion(companionId);
        }
    }

    /// <inheritdoc />
    public async Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync(
            "SELECT name, person_name FROM companions WHERE id = @id;",
            reader => (reader.GetString(0), PostgresDatabase.NullableString(reader, 1)),
            cancellationToken,
            ("id", companionId)).ConfigureAwait(false);
        return rows.Count == 0 ? throw StoreErrors.UnknownCompanion(companionId) : rows[0];
    }

    private static async Task<CompanionIdentity?> ReadCompanionOrNullAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCompanion(reader) : null;
        }
    }

    private static CompanionIdentity ReadCompanion(NpgsqlDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            PostgresDatabase.FromTicks(reader.GetInt64(2)),
            reader.GetString(3),
            TraitsJson.Deserialize(reader.GetString(4)));
}
