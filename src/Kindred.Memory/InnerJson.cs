using System.Text.Json;
using System.Text.Json.Serialization;
using Kindred.Core.Inner;

namespace Kindred.Memory;

/// <summary>The inner life's small JSON columns: emotion lists and personas, always read and written whole.</summary>
internal static class InnerJson
{
    public static string SerializeWords(IReadOnlyList<string> words) =>
        JsonSerializer.Serialize(words.ToArray(), InnerJsonContext.Default.StringArray);

    public static string[] DeserializeWords(string json) =>
        JsonSerializer.Deserialize(json, InnerJsonContext.Default.StringArray) ?? [];

    // Trait names are stored as lower-case words, so the column reads plainly and survives reordering the enum.
    public static string SerializePersona(Persona persona) =>
        JsonSerializer.Serialize(
            new StoredPersona(
                persona.Traits.ToDictionary(t => t.Key.ToString().ToLowerInvariant(), t => t.Value, StringComparer.Ordinal),
                [.. persona.Interests],
                persona.SelfDescription),
            InnerJsonContext.Default.StoredPersona);

    public static Persona DeserializePersona(string json)
    {
        var stored = JsonSerializer.Deserialize(json, InnerJsonContext.Default.StoredPersona)
            ?? throw new InvalidOperationException("A stored persona is empty.");
        var traits = new Dictionary<Trait, double>();
        foreach (var (name, value) in stored.Traits ?? [])
        {
            if (Enum.TryParse<Trait>(name, ignoreCase: true, out var trait) && Enum.IsDefined(trait))
            {
                traits[trait] = value;
            }
        }

        return new Persona(traits, stored.Interests ?? [], stored.SelfDescription ?? "");
    }
}

internal sealed record StoredPersona(Dictionary<string, double>? Traits, string[]? Interests, string? SelfDescription);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(StoredPersona))]
internal sealed partial class InnerJsonContext : JsonSerializerContext;
