using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kindred.Memory;

/// <summary>Traits are kept as a JSON array in one column: they are always read and written whole.</summary>
internal static class TraitsJson
{
    public static string Serialize(IReadOnlyList<string> traits) =>
        JsonSerializer.Serialize(traits.ToArray(), TraitsJsonContext.Default.StringArray);

    public static string[] Deserialize(string json) =>
        JsonSerializer.Deserialize(json, TraitsJsonContext.Default.StringArray) ?? [];
}

// Source-generated so reading traits costs no reflection and stays trim-safe.
[JsonSerializable(typeof(string[]))]
internal sealed partial class TraitsJsonContext : JsonSerializerContext;
