using System.Text.RegularExpressions;
using Kindred.Core.Inner;

namespace Kindred.Memory.Knowledge;

/// <summary>
/// How a forgotten person's names are found in the inner life's free text (reminders, queued outreach, open threads,
/// reflections, persona versions) and taken out of it. Both stores decide with this, on the text as it reads (JSON
/// columns are read as values, so an escaped "Zo\u00eb" is found too): a row that is about them goes; the persona's
/// history, which must keep its versions, is scrubbed instead.
/// </summary>
internal static class PersonTraces
{
    /// <summary>What a name becomes in text that is kept.</summary>
    public const string Someone = "someone";

    public static bool Mentioned(IReadOnlyList<string> names, params IEnumerable<string?> texts) =>
        texts.Any(text => text is not null && names.Any(name => Kindred.Memory.Knowledge.Names.Mentions(text, name)));

    /// <summary>The text with every whole-word mention of a name replaced by <see cref="Someone"/>; longest names first.</summary>
    public static string Scrub(string text, IReadOnlyList<string> names) =>
        names.Where(n => n.Length > 0).OrderByDescending(n => n.Length).Aggregate(
            text,
            (scrubbed, name) => Regex.Replace(scrubbed, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(name)}(?![\p{{L}}\p{{N}}])", Someone, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    /// <summary>The persona without them: an interest that names them goes, the self-description is scrubbed.</summary>
    public static Persona Scrub(Persona persona, IReadOnlyList<string> names) =>
        persona with
        {
            Interests = [.. persona.Interests.Where(interest => !Mentioned(names, interest))],
            SelfDescription = Scrub(persona.SelfDescription, names),
        };

    public static bool Mentioned(IReadOnlyList<string> names, Persona persona) =>
        Mentioned(names, [.. persona.Interests, persona.SelfDescription]);
}
