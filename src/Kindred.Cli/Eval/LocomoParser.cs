using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kindred.Cli.Eval;

/// <summary>
/// Reads LoCoMo files (snap-research/locomo). Tolerant of what the real data does (unknown fields, numeric answers,
/// malformed evidence ids), strict about what the evaluation cannot do without (turns, speakers, session times).
/// </summary>
internal static partial class LocomoParser
{
    private static readonly string[] DateFormats =
    [
        "h:mm tt 'on' d MMMM, yyyy",
        "h:mm tt 'on' d MMM, yyyy",
        "h:mm tt 'on' d MMMM yyyy",
        "h:mm tt 'on' MMMM d, yyyy",
    ];

    /// <exception cref="ArgumentException">The file is missing, is not JSON, or is not in the LoCoMo format.</exception>
    public static IReadOnlyList<LocomoConversation> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"LoCoMo file not found: {path}");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <exception cref="ArgumentException">The text is not JSON, or is not in the LoCoMo format.</exception>
    public static IReadOnlyList<LocomoConversation> Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{source} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(source, "expected a JSON list of conversations");
            }

            return [.. document.RootElement.EnumerateArray().Select((item, i) => ReadConversation(item, i, source))];
        }
    }

    /// <summary>Parses a LoCoMo time such as "1:56 pm on 8 May, 2023" (no zone given: taken as UTC).</summary>
    public static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = Whitespace().Replace(text.Trim(), " ");
        const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParseExact(trimmed, DateFormats, CultureInfo.InvariantCulture, Styles, out var exact) ||
            DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, Styles, out exact))
        {
            return exact;
        }

        return null;
    }

    /// <summary>
    /// The well-formed ids in an evidence list, each once: entries such as "D8:6; D9:17" are split, anything that is
    /// not D&lt;session&gt;:&lt;turn&gt; (e.g. "D" or "D:11:26") is dropped.
    /// </summary>
    public static IReadOnlyList<string> CleanEvidence(IEnumerable<string> raw) =>
        [.. raw
            .SelectMany(entry => entry.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(id => DiaId().IsMatch(id))
            .Distinct(StringComparer.Ordinal)];

    private static LocomoConversation ReadConversation(JsonElement item, int index, string source)
    {
        var sampleId = StringOf(item, "sample_id") ?? $"conversation-{index + 1}";
        var where = $"{source}, {sampleId}";
        if (item.ValueKind != JsonValueKind.Object ||
            !item.TryGetProperty("conversation", out var conversation) || conversation.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(where, "has no 'conversation' object");
        }

        var speakerA = StringOf(conversation, "speaker_a") ?? throw Invalid(where, "has no 'speaker_a'");
        var speakerB = StringOf(conversation, "speaker_b") ?? throw Invalid(where, "has no 'speaker_b'");
        var sessions = new List<LocomoSession>();
        foreach (var property in conversation.EnumerateObject())
        {
            var match = SessionKey().Match(property.Name);
            if (match.Success && property.Value.ValueKind == JsonValueKind.Array)
            {
                var number = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                sessions.Add(ReadSession(conversation, number, property.Value, where));
            }
        }

        var questions = item.TryGetProperty("qa", out var qa) && qa.ValueKind == JsonValueKind.Array
            ? qa.EnumerateArray().Select((q, i) => ReadQuestion(q, i, where)).ToList()
            : [];
        return new LocomoConversation(sampleId, speakerA, speakerB, [.. sessions.OrderBy(s => s.Number)], questions);
    }

    private static LocomoSession ReadSession(JsonElement conversation, int number, JsonElement turns, string where)
    {
        var key = $"session_{number}_date_time";
        var dateText = StringOf(conversation, key) ?? throw Invalid(where, $"has no '{key}'");
        var at = ParseTime(dateText) ?? throw Invalid(where, $"'{key}' is not a time: \"{dateText}\"");
        var read = new List<LocomoTurn>();
        foreach (var turn in turns.EnumerateArray())
        {
            if (turn.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var diaId = StringOf(turn, "dia_id") ?? throw Invalid(where, $"a turn of session_{number} has no 'dia_id'");
            var speaker = StringOf(turn, "speaker") ?? throw Invalid(where, $"turn {diaId} has no 'speaker'");
            read.Add(new LocomoTurn(diaId, speaker, StringOf(turn, "text") ?? "", StringOf(turn, "blip_caption")));
        }

        return new LocomoSession(number, at, read);
    }

    private static LocomoQuestion ReadQuestion(JsonElement qa, int index, string where)
    {
        var question = StringOf(qa, "question") ?? throw Invalid(where, $"question {index + 1} has no 'question' text");
        var evidence = qa.TryGetProperty("evidence", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
            : [];
        var category = int.TryParse(StringOf(qa, "category"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;
        var askedText = StringOf(qa, "question_date");
        DateTimeOffset? askedAt = askedText is null
            ? null
            : ParseTime(askedText) ?? throw Invalid(where, $"question {index + 1} has a 'question_date' that is not a time: \"{askedText}\"");
        return new LocomoQuestion(question, StringOf(qa, "answer"), CleanEvidence(evidence), category, askedAt);
    }

    /// <summary>A string, or a number or boolean as written (answers are sometimes years); null when absent.</summary>
    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    private static ArgumentException Invalid(string where, string problem) =>
        new($"{where} is not in the LoCoMo format: {problem}.");

    [GeneratedRegex(@"^session_(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionKey();

    [GeneratedRegex(@"^D\d+:\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex DiaId();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
