using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Storage;

// What a forget takes with it, decided once for every store. The store's ForgetAsync then clears what its files still
// keep of the deleted rows (see SqliteDatabase and PostgresDatabase).
internal sealed partial class KnowledgeStore
{
    // A shorter value ("no", "42") is in too many unrelated texts to forget them all with it.
    private const int ShortestValueForgottenInText = 3;

    /// <inheritdoc cref="Kindred.Core.ICompanionStore.ForgetTurnAsync" />
    public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken) =>
        rows.ForgetAsync(companionId, async session =>
        {
            // Someone known only from this turn goes with it (first, while the links that say so are still there).
            await session.DeletePeopleKnownOnlyFromAsync(turnId, cancellationToken).ConfigureAwait(false);
            return await session.DeleteTurnsAsync([turnId], cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc cref="IMemoryStore.ForgetCompanionAsync" />
    public Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken) =>
        rows.ForgetAsync(companionId, session => session.DeleteCompanionAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Summaries and reflections that repeat the fact's value go with it; the turns it was learned from stay (forgetting those is forgetting a turn).</remarks>
    public Task<bool> ForgetFactAsync(string companionId, long factId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return rows.ForgetAsync(companionId, async session =>
        {
            var fact = (await session.ReadFactsAsync(includeSuperseded: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Id == factId);
            if (fact is null)
            {
                return false;
            }

            var value = fact.Value.Trim();
            if (value.Length >= ShortestValueForgottenInText)
            {
                await session.DeleteSummariesAndReflectionsContainingAsync([value], cancellationToken).ConfigureAwait(false);
            }

            return await session.DeleteFactAsync(factId, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int?> ForgetPersonAsync(string companionId, long personId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        var turnsForgotten = 0;
        var forgotten = await rows.ForgetAsync(companionId, async session =>
        {
            var person = (await session.ReadPeopleAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Id == personId);
            if (person is null)
            {
                return false;
            }

            var names = person.AllNames.Where(n => n.Length > 0).ToArray();

            // The turns that mention them: those extraction linked, and any that name them as a whole word (said before
            // extraction read it, or missed by it).
            var turnIds = new HashSet<long>(person.TurnIds);
            var candidates = await session.ReadTurnsThatMayNameAsync(names, cancellationToken).ConfigureAwait(false);
            turnIds.UnionWith(candidates.Where(t => names.Any(name => Names.Mentions(t.Text, name))).Select(t => t.Id));
            turnsForgotten = turnIds.Count;

            await session.DeleteFactsAboutAsync(personId, names, cancellationToken).ConfigureAwait(false);
            await session.DeleteSummariesAndReflectionsContainingAsync(names, cancellationToken).ConfigureAwait(false);
            if (turnIds.Count > 0)
            {
                await session.DeleteTurnsAsync(turnIds, cancellationToken).ConfigureAwait(false);
            }

            await ForgetInInnerLifeAsync(session, names, cancellationToken).ConfigureAwait(false);
            return await session.DeletePersonAsync(personId, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return forgotten ? turnsForgotten : null;
    }

    // The inner life's free text that names them: reminders and queued outreach, open threads and reflections go;
    // persona versions, whose history must stay whole, are scrubbed. PersonTraces decides on the values as they read.
    private async Task ForgetInInnerLifeAsync(IForgetSession session, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var texts = await session.ReadInnerLifeTextsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in texts.Where(row => PersonTraces.Mentioned(names, row.Texts)).GroupBy(row => row.Table))
        {
            await session.DeleteInnerLifeRowsAsync(table.Key, [.. table.Select(row => row.Id)], cancellationToken).ConfigureAwait(false);
        }

        var versions = await session.ReadPersonaVersionsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var version in versions.Where(v => PersonTraces.Mentioned(names, v.Persona) || PersonTraces.Mentioned(names, v.Reason)))
        {
            var persona = PersonTraces.Scrub(version.Persona, names);
            var reason = rows.Clean(PersonTraces.Scrub(version.Reason, names));
            await session.UpdatePersonaVersionAsync(version.Version, persona, reason, cancellationToken).ConfigureAwait(false);
        }
    }
}
