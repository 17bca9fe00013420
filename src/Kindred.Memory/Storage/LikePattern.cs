namespace Kindred.Memory.Storage;

/// <summary>LIKE patterns, as both databases read them with backslash as the escape character.</summary>
internal static class LikePattern
{
    /// <summary>A pattern for text that contains <paramref name="value"/> anywhere, its own % and _ taken literally.</summary>
    public static string Containing(string value) =>
        "%" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
