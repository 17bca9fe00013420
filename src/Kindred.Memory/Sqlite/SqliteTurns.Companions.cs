using Kindred.Core;
using Kindred.Memory.Storage;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

// Companions: who they are, and their relationship with their person.
internal sealed partial class SqliteTurns
{
    private const string CompanionColumns = "id, name, woke_at, persona, traits";

    /// <inheritdoc />
    public async Task<CompanionIdentity?> FindCompanionAsync(string companionId, CancellationToken cancellationToken) =>
        (await database.QueryAsync($"SELECT {CompanionColumns} FROM companions WHERE id = $id;", ReadCompanion, cancellationToken, ("$id", companionId)).ConfigureAwait(false))
            .SingleOrDefault();

    /// <inheritdoc />
    public Task<CompanionIdentity> CreateCompanionAsync(CompanionIdentity identity, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            // Insert-if-absent and read back in one statement batch under the write lock: whoever woke the companion
            // first keeps the name, and every caller gets that stored identity.
            var stored = await SqliteDatabase.QueryAsync(
                connection,
                null,
                $"INSERT INTO companions ({CompanionColumns}) VALUES ($id, $name, $wokeAt, $persona, $traits) ON CONFLICT (id) DO NOTHING;" +
                $"SELECT {CompanionColumns} FROM companions WHERE id = $id;",
                ReadCompanion,
                cancellationToken,
                ("$id", identity.CompanionId),
                ("$name", identity.Name),
                ("$wokeAt", StoredTime.Format(identity.WokeAt)),
                ("$persona", identity.Persona),
                ("$traits", TraitsJson.Serialize(identity.Traits))).ConfigureAwait(false);
            return stored.SingleOrDefault()
                ?? throw new InvalidOperationException($"Companion '{identity.CompanionId}' was not found right after being stored.");
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CompanionIdentity>> ListCompanionsAsync(CancellationToken cancellationToken) =>
        // rowid breaks ties between companions that woke in the same tick, in the order they were stored.
        database.QueryAsync($"SELECT {CompanionColumns} FROM companions ORDER BY woke_at, rowid;", ReadCompanion, cancellationToken);

    /// <inheritdoc />
    public async Task<Relationship> GetRelationshipAsync(string companionId, CancellationToken cancellationToken)
    {
        // One statement, so the count and the last time come from the same snapshot.
        var rows = await database.QueryAsync(
            "SELECT c.person_name, c.woke_at, " +
            "(SELECT COUNT(*) FROM turns t WHERE t.companion_id = c.id), " +
            "(SELECT MAX(t.at) FROM turns t WHERE t.companion_id = c.id) " +
            "FROM companions c WHERE c.id = $id;",
            reader => new Relationship(
                companionId,
                reader.IsDBNull(0) ? null : reader.GetString(0),
                StoredTime.Parse(reader.GetString(1)),
                checked((int)reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : StoredTime.Parse(reader.GetString(3))),
            cancellationToken,
            ("$id", companionId)).ConfigureAwait(false);
        return rows.Count == 0 ? throw StoreErrors.UnknownCompanion(companionId) : rows[0];
    }

    /// <inheritdoc />
    public async Task SetPersonNameAsync(string companionId, string personName, CancellationToken cancellationToken)
    {
        if (await database.ExecuteAsync("UPDATE companions SET person_name = $personName WHERE id = $id;", cancellationToken, ("$id", companionId), ("$personName", personName)).ConfigureAwait(false) == 0)
        {
            throw StoreErrors.UnknownCompanion(companionId);
        }
    }

    /// <inheritdoc />
    public async Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync(
            "SELECT name, person_name FROM companions WHERE id = $id;",
            reader => (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)),
            cancellationToken,
            ("$id", companionId)).ConfigureAwait(false);
        return rows.Count == 0 ? throw StoreErrors.UnknownCompanion(companionId) : rows[0];
    }

    private static CompanionIdentity ReadCompanion(SqliteDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            StoredTime.Parse(reader.GetString(2)),
            reader.GetString(3),
            TraitsJson.Deserialize(reader.GetString(4)));
}
