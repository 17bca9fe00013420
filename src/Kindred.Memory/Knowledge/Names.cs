using System.Text.RegularExpressions;

namespace Kindred.Memory.Knowledge;

/// <summary>How names are compared: ignoring case, as whole words.</summary>
internal static class Names
{
    public static bool Same(string? a, string? b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="text"/> mentions <paramref name="name"/> as a whole word (or words).</summary>
    public static bool Mentions(string text, string name) =>
        name.Length > 0 && Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(name)}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
