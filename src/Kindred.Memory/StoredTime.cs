using System.Globalization;

namespace Kindred.Memory;

/// <summary>
/// How instants are written to the database: normalised to UTC, then ISO-8601 round-trip text. The instant survives
/// exactly (to the tick); the original offset does not, because rows written from different offsets must still
/// compare and sort correctly as text.
/// </summary>
internal static class StoredTime
{
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.ParseExact(value, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
