using Kindred.Core.Inner;
using Kindred.Memory.Storage;

namespace Kindred.Memory;

// The deletes a forget is made of (KnowledgeStore decides which); secure_delete zeroes what they remove.
internal sealed partial class SqliteKnowledgeSession
{
    /// <inheritdoc />
    public async Task<bool> DeleteFactAsync(long factId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM facts WHERE id = $f AND companion_id = $c;", cancellationToken, ("$f", factId)).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public Task DeleteFactsAboutAsync(long personId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var (containsAName, likes) = ContainsAny("text", names);
        var isAName = names.Select((_, i) => $" OR subject = $name{i} COLLATE NOCASE");
        return ExecuteAsync(
            $"DELETE FROM facts WHERE companion_id = $c AND (person_id = $p{string.Concat(isAName)} OR {containsAName});",
            cancellationToken,
            [("$p", personId), .. names.Select((name, i) => ($"$name{i}", (object?)name)), .. likes]);
    }

    /// <inheritdoc />
    public async Task DeleteSummariesAndReflectionsContainingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return;
        }

        var (containsAny, likes) = ContainsAny("text", texts);
        await ExecuteAsync($"DELETE FROM summaries WHERE companion_id = $c AND ({containsAny});", cancellationToken, likes).ConfigureAwait(false);
        await ExecuteAsync($"DELETE FROM reflections WHERE companion_id = $c AND ({containsAny});", cancellationToken, likes).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every turn of the companion: SQLite's LIKE ignores the case of ASCII letters only, and a name such as "Zoë"
    /// must be found however it was written. Forgetting someone is rare; reading the history once is affordable.
    /// </remarks>
    public Task<IReadOnlyList<(long Id, string Text)>> ReadTurnsThatMayNameAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        QueryAsync("SELECT id, text FROM turns WHERE companion_id = $c;", reader => (reader.GetInt64(0), reader.GetString(1)), cancellationToken);

    /// <inheritdoc />
    public Task<int> DeleteTurnsAsync(IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM turns WHERE companion_id = $c AND id IN ({SqliteDatabase.IdList(turnIds)});", cancellationToken);

    /// <inheritdoc />
    public Task DeletePeopleKnownOnlyFromAsync(long turnId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "DELETE FROM people WHERE companion_id = $c " +
            "AND id IN (SELECT person_id FROM person_episodes WHERE turn_id = $t) " +
            "AND NOT EXISTS (SELECT 1 FROM person_episodes e WHERE e.person_id = people.id AND e.turn_id <> $t) " +
            "AND EXISTS (SELECT 1 FROM turns WHERE id = $t AND companion_id = $c);",
            cancellationToken,
            ("$t", turnId));

    /// <inheritdoc />
    /// <remarks>
    /// The turns would go by cascade anyway; deleting them first keeps this correct even on a connection where
    /// foreign keys were off. The count that decides the result is the companion's own row.
    /// </remarks>
    public async Task<bool> DeleteCompanionAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM turns WHERE companion_id = $c;", cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync("DELETE FROM companions WHERE id = $c;", cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> DeletePersonAsync(long personId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM people WHERE id = $p AND companion_id = $c;", cancellationToken, ("$p", personId)).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<InnerLifeText>> ReadInnerLifeTextsAsync(CancellationToken cancellationToken) =>
    [
        .. await QueryAsync("SELECT id, text FROM inner_outreach WHERE companion_id = $c;", r => new InnerLifeText(InnerLifeTable.Outreach, r.GetInt64(0), [r.GetString(1)]), cancellationToken).ConfigureAwait(false),
        .. await QueryAsync("SELECT id, about FROM inner_threads WHERE companion_id = $c;", r => new InnerLifeText(InnerLifeTable.Threads, r.GetInt64(0), [r.GetString(1)]), cancellationToken).ConfigureAwait(false),
        .. await QueryAsync(
            "SELECT id, summary, insights, about_herself FROM inner_reflections WHERE companion_id = $c;",
            r => new InnerLifeText(InnerLifeTable.Reflections, r.GetInt64(0), [r.GetString(1), .. InnerJson.DeserializeWords(r.GetString(2)), r.GetString(3)]),
            cancellationToken).ConfigureAwait(false),
    ];

    /// <inheritdoc />
    public Task DeleteInnerLifeRowsAsync(InnerLifeTable table, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM {InnerLifeTables.Name(table)} WHERE companion_id = $c AND id IN ({SqliteDatabase.IdList(ids)});", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<(int Version, Persona Persona, string Reason)>> ReadPersonaVersionsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT version, persona, reason FROM inner_persona_versions WHERE companion_id = $c;",
            r => (r.GetInt32(0), InnerJson.DeserializePersona(r.GetString(1)), r.GetString(2)),
            cancellationToken);

    /// <inheritdoc />
    public Task UpdatePersonaVersionAsync(int version, Persona persona, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE inner_persona_versions SET persona = $persona, reason = $reason WHERE companion_id = $c AND version = $v;",
            cancellationToken,
            ("$v", version),
            ("$persona", InnerJson.SerializePersona(persona)),
            ("$reason", reason));

    // "column LIKE $like0 ESCAPE '\' OR …", ignoring the case of ASCII letters, with its parameters.
    private static (string Sql, (string Name, object? Value)[] Parameters) ContainsAny(string column, IReadOnlyList<string> texts) =>
        (texts.Count == 0 ? "0" : string.Join(" OR ", texts.Select((_, i) => $"{column} LIKE $like{i} ESCAPE '\\'")),
         [.. texts.Select((text, i) => ($"$like{i}", (object?)LikePattern.Containing(text)))]);
}
