using System.Text.Json;
using System.Text.Json.Serialization;
using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Portable;

/// <summary>
/// Everything a companion knows, in one portable JSON file (documented in docs/export-format.md) that imports back
/// exactly: exporting an imported companion gives the same file, byte for byte. Store-assigned ids are left out:
/// turns are in the order they were said, and facts, people and summaries point at them by position. Embeddings are
/// left out too: they are derived, and rebuilt on import. Version 1 files (turns only) still import.
/// </summary>
public static class MemoryExport
{
    /// <summary>The value of the file's "format" field.</summary>
    public const string Format = "kindred-companion";

    /// <summary>The format version this build writes; it reads this one and every earlier one.</summary>
    public const int Version = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Writes the companion and all its turns to <paramref name="output"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such companion.</exception>
    public static async Task ExportAsync(IMemoryStore store, string companionId, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        var identity = await store.FindCompanionAsync(companionId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"There is no companion '{companionId}' to export.");
        var relationship = await store.GetRelationshipAsync(companionId, cancellationToken).ConfigureAwait(false);
        var history = await store.GetWholeHistoryAsync(companionId, cancellationToken).ConfigureAwait(false);
        var turns = history.Select(t => new ExportedTurn(t.SessionId, t.Speaker, t.Text, t.At, t.Status)).ToList();
        var knowledge = store is IKnowledgeStore known
            ? await known.ExportKnowledgeAsync(companionId, cancellationToken).ConfigureAwait(false)
            : new KnowledgeSnapshot([], [], [], [], 0);

        var file = new ExportFile(
            Format,
            Version,
            new ExportedCompanion(identity.CompanionId, identity.Name, identity.WokeAt, identity.Persona, [.. identity.Traits], relationship.PersonName),
            turns)
        {
            People = [.. knowledge.People.Select(p => new ExportedPerson(p.Name, [.. p.Aliases], p.Relation, p.FirstMentionedAt, Positions(history, p.TurnIds)))],
            Facts = [.. knowledge.Facts.Select(f => new ExportedFact(
                f.Subject,
                f.Attribute,
                f.Value,
                f.Text,
                f.PersonId is { } personId ? IndexOf(knowledge.People, p => p.Id == personId) : null,
                f.Source,
                f.ValidFrom,
                f.ValidTo,
                f.SupersededBy is { } by ? IndexOf(knowledge.Facts, other => other.Id == by) : null,
                Positions(history, f.TurnIds)))],
            Summaries = [.. knowledge.Summaries.Select(s => new ExportedSummary(
                s.SessionId,
                s.Text,
                history.Count(t => t.Id < s.FirstTurnId),
                history.Count(t => t.Id <= s.LastTurnId) - 1,
                s.At,
                s.Source))],
            Reflections = [.. knowledge.Reflections.Select(r => new ExportedReflection(r.SessionId, r.Text, r.At))],
            ExtractedTurns = history.Count(t => t.Id <= knowledge.ExtractedThrough),
        };
        await JsonSerializer.SerializeAsync(output, file, Json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads an export into the store as a new companion (with the exported id, or <paramref name="asCompanionId"/>).
    /// Nothing is written unless the whole file is valid.
    /// </summary>
    /// <returns>The imported companion's id and how many turns it brought.</returns>
    /// <exception cref="ArgumentException">The file is not a Kindred export, is of an unknown version, or is malformed.</exception>
    /// <exception cref="InvalidOperationException">A companion with that id already exists.</exception>
    public static async Task<(string CompanionId, int Turns)> ImportAsync(IMemoryStore store, Stream input, string? asCompanionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        ExportFile? file;
        try
        {
            file = await JsonSerializer.DeserializeAsync<ExportFile>(input, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"This is not a readable Kindred export ({ex.Message}).", ex);
        }

        Validate(file);
        var id = string.IsNullOrWhiteSpace(asCompanionId) ? file!.Companion.Id : asCompanionId;
        if (await store.FindCompanionAsync(id, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"A companion '{id}' already exists here; import it under another id.");
        }

        var companion = file!.Companion;
        await store.CreateCompanionAsync(new CompanionIdentity(id, companion.Name, companion.WokeAt, companion.Persona, companion.Traits), cancellationToken).ConfigureAwait(false);
        if (companion.PersonName is not null)
        {
            await store.SetPersonNameAsync(id, companion.PersonName, cancellationToken).ConfigureAwait(false);
        }

        var stored = await store.AppendTurnsAsync([.. file.Turns.Select(t => new NewTurn(id, t.SessionId, t.Speaker, t.Text, t.At, t.Status))], cancellationToken).ConfigureAwait(false);
        if (store is IKnowledgeStore known)
        {
            await known.ImportKnowledgeAsync(id, Knowledge(file, id, stored), cancellationToken).ConfigureAwait(false);
        }

        return (id, file.Turns.Count);
    }

    private static void Validate(ExportFile? file)
    {
        if (file is null || file.Format != Format)
        {
            throw new ArgumentException($"This is not a Kindred export (its \"format\" is not \"{Format}\").");
        }

        if (file.Version is < 1 or > Version)
        {
            throw new ArgumentException($"This export is format version {file.Version}; this Kindred reads versions 1 to {Version}.");
        }

        if (file.Companion is null || string.IsNullOrWhiteSpace(file.Companion.Id) || string.IsNullOrWhiteSpace(file.Companion.Name) || file.Companion.Persona is null || file.Companion.Traits is null)
        {
            throw new ArgumentException("This export's companion is missing its id, name, persona or traits.");
        }

        if (file.Turns is null || file.Turns.Any(t => t is null || t.Text is null || string.IsNullOrWhiteSpace(t.SessionId) || !Enum.IsDefined(t.Speaker) || !Enum.IsDefined(t.Status)))
        {
            throw new ArgumentException("This export has a turn without text, session, speaker or status.");
        }

        ValidateKnowledge(file);
    }

    private static void ValidateKnowledge(ExportFile file)
    {
        bool IsTurn(int position) => position >= 0 && position < file.Turns.Count;
        var people = file.People ?? [];
        var facts = file.Facts ?? [];
        if (people.Any(p => p is null || string.IsNullOrWhiteSpace(p.Name) || p.Aliases is null || p.Turns is null || !p.Turns.All(IsTurn)))
        {
            throw new ArgumentException("This export has a person without a name, aliases or valid turns.");
        }

        if (facts.Any(f => f is null || string.IsNullOrWhiteSpace(f.Subject) || string.IsNullOrWhiteSpace(f.Attribute) || string.IsNullOrWhiteSpace(f.Value)
            || string.IsNullOrWhiteSpace(f.Text) || !Enum.IsDefined(f.Source) || f.Turns is null || !f.Turns.All(IsTurn)
            || f.Person is < 0 || f.Person >= people.Count || f.SupersededBy is < 0 || f.SupersededBy >= facts.Count))
        {
            throw new ArgumentException("This export has a fact with a missing field or a reference that points nowhere.");
        }

        if ((file.Summaries ?? []).Any(s => s is null || string.IsNullOrWhiteSpace(s.SessionId) || string.IsNullOrWhiteSpace(s.Text) || !Enum.IsDefined(s.Source)
            || !IsTurn(s.FirstTurn) || !IsTurn(s.LastTurn))
            || (file.Reflections ?? []).Any(r => r is null || string.IsNullOrWhiteSpace(r.Text))
            || file.ExtractedTurns < 0 || file.ExtractedTurns > file.Turns.Count)
        {
            throw new ArgumentException("This export has a summary, reflection or extraction mark that is incomplete or points nowhere.");
        }
    }

    // Store ids of the imported turns stand in for the file's positions.
    private static KnowledgeSnapshot Knowledge(ExportFile file, string companionId, IReadOnlyList<StoredTurn> turns)
    {
        var people = (file.People ?? []).Select((p, i) => new KnownPerson(i + 1, companionId, p.Name, p.Aliases, p.Relation, p.FirstMentionedAt, [.. p.Turns.Select(t => turns[t].Id)])).ToList();
        var facts = (file.Facts ?? []).Select((f, i) => new StoredFact(
            i + 1,
            companionId,
            f.Subject,
            f.Attribute,
            f.Value,
            f.Text,
            f.Person + 1,
            f.Source,
            f.ValidFrom,
            f.ValidTo,
            f.SupersededBy + 1,
            [.. f.Turns.Select(t => turns[t].Id)])).ToList();
        var summaries = (file.Summaries ?? []).Select(s => new SessionSummary(companionId, s.SessionId, s.Text, turns[s.FirstTurn].Id, turns[s.LastTurn].Id, s.At, s.Source)).ToList();
        var reflections = (file.Reflections ?? []).Select((r, i) => new Reflection(i + 1, companionId, r.SessionId, r.Text, r.At)).ToList();
        return new KnowledgeSnapshot(people, facts, summaries, reflections, file.ExtractedTurns > 0 ? turns[file.ExtractedTurns - 1].Id : 0);
    }

    private static List<int> Positions(IReadOnlyList<StoredTurn> history, IReadOnlyList<long> turnIds)
    {
        var wanted = turnIds.ToHashSet();
        return [.. history.Select((t, i) => (t.Id, i)).Where(x => wanted.Contains(x.Id)).Select(x => x.i)];
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (match(items[i]))
            {
                return i;
            }
        }

        throw new InvalidOperationException("A stored reference points at nothing.");
    }

    private sealed record ExportFile(string Format, int Version, ExportedCompanion Companion, List<ExportedTurn> Turns)
    {
        // Version 2. Absent from version 1 files, which then bring turns only.
        public List<ExportedPerson>? People { get; init; }

        public List<ExportedFact>? Facts { get; init; }

        public List<ExportedSummary>? Summaries { get; init; }

        public List<ExportedReflection>? Reflections { get; init; }

        public int ExtractedTurns { get; init; }
    }

    private sealed record ExportedPerson(string Name, List<string> Aliases, string? Relation, DateTimeOffset FirstMentionedAt, List<int> Turns);

    private sealed record ExportedFact(
        string Subject,
        string Attribute,
        string Value,
        string Text,
        int? Person,
        KnowledgeSource Source,
        DateTimeOffset ValidFrom,
        DateTimeOffset? ValidTo,
        int? SupersededBy,
        List<int> Turns);

    private sealed record ExportedSummary(string SessionId, string Text, int FirstTurn, int LastTurn, DateTimeOffset At, KnowledgeSource Source);

    private sealed record ExportedReflection(string? SessionId, string Text, DateTimeOffset At);

    private sealed record ExportedCompanion(string Id, string Name, DateTimeOffset WokeAt, string Persona, List<string> Traits, string? PersonName);

    private sealed record ExportedTurn(string SessionId, Speaker Speaker, string Text, DateTimeOffset At, TurnStatus Status);
}
