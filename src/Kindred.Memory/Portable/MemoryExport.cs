using System.Text.Json;
using System.Text.Json.Serialization;
using Kindred.Core;

namespace Kindred.Memory.Portable;

/// <summary>
/// Everything a companion knows, in one portable JSON file (documented in docs/export-format.md) that imports back
/// exactly: exporting an imported companion gives the same file, byte for byte. Store-assigned ids are left out;
/// turns are in the order they were said. Embeddings are left out too: they are derived, and rebuilt on import.
/// </summary>
public static class MemoryExport
{
    /// <summary>The value of the file's "format" field.</summary>
    public const string Format = "kindred-companion";

    /// <summary>The format version this build writes and reads.</summary>
    public const int Version = 1;

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

        var file = new ExportFile(
            Format,
            Version,
            new ExportedCompanion(identity.CompanionId, identity.Name, identity.WokeAt, identity.Persona, [.. identity.Traits], relationship.PersonName),
            turns);
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

        await store.AppendTurnsAsync([.. file.Turns.Select(t => new NewTurn(id, t.SessionId, t.Speaker, t.Text, t.At, t.Status))], cancellationToken).ConfigureAwait(false);
        return (id, file.Turns.Count);
    }

    private static void Validate(ExportFile? file)
    {
        if (file is null || file.Format != Format)
        {
            throw new ArgumentException($"This is not a Kindred export (its \"format\" is not \"{Format}\").");
        }

        if (file.Version != Version)
        {
            throw new ArgumentException($"This export is format version {file.Version}; this Kindred reads version {Version}.");
        }

        if (file.Companion is null || string.IsNullOrWhiteSpace(file.Companion.Id) || string.IsNullOrWhiteSpace(file.Companion.Name) || file.Companion.Persona is null || file.Companion.Traits is null)
        {
            throw new ArgumentException("This export's companion is missing its id, name, persona or traits.");
        }

        if (file.Turns is null || file.Turns.Any(t => t is null || t.Text is null || string.IsNullOrWhiteSpace(t.SessionId) || !Enum.IsDefined(t.Speaker) || !Enum.IsDefined(t.Status)))
        {
            throw new ArgumentException("This export has a turn without text, session, speaker or status.");
        }
    }

    private sealed record ExportFile(string Format, int Version, ExportedCompanion Companion, List<ExportedTurn> Turns);

    private sealed record ExportedCompanion(string Id, string Name, DateTimeOffset WokeAt, string Persona, List<string> Traits, string? PersonName);

    private sealed record ExportedTurn(string SessionId, Speaker Speaker, string Text, DateTimeOffset At, TurnStatus Status);
}
