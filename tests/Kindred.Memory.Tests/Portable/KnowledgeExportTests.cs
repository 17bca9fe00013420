using System.Text;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Portable;

namespace Kindred.Memory.Tests.Portable;

public sealed class KnowledgeExportTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _first = new();
    private readonly TempDatabase _second = new();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task Facts_people_summaries_and_reflections_round_trip_exactly()
    {
        await using var source = await _first.OpenAsync();
        await source.CreateCompanionAsync(Samples.Identity(), None);
        await source.AppendTurnAsync(Samples.Turn("Hello there", speaker: Speaker.Companion), None);
        var forgotten = await source.AppendTurnAsync(Samples.Turn("a turn that will be forgotten"), None);
        await using (var worker = new KnowledgeWorker(source, source, new BuiltInExtractor(), _first.Time))
        {
            await source.AppendTurnAsync(Samples.Turn("I'm married to Catherine. My sister Amy lives in Leeds.", at: Samples.WokeAt.AddDays(1)), None);
            await worker.DrainAsync("c1", null, None);
            await source.AppendTurnAsync(Samples.Turn("We separated. I moved to Porto.", at: Samples.WokeAt.AddDays(30), sessionId: "s2"), None);
            await worker.DrainAsync("c1", null, None);
        }

        var fact = (await source.GetFactsAsync("c1", false, None)).First(f => f.Attribute == "home");
        await source.CorrectFactAsync("c1", fact.Id, "They live in Porto, by the river.", Samples.WokeAt.AddDays(31), None);
        await source.AddReflectionAsync("c1", null, "They are braver than they think.", Samples.WokeAt.AddDays(31), None);
        await source.ForgetTurnAsync("c1", forgotten.Id, None);
        await using (var worker = new KnowledgeWorker(source, source, new BuiltInExtractor(), _first.Time))
        {
            // The session that lost a turn is summarised again from what is left.
            await worker.DrainAsync("c1", null, None);
        }

        await source.AppendTurnAsync(Samples.Turn("not read by extraction yet", sessionId: "s3", at: Samples.WokeAt.AddDays(40)), None);
        var exported = await ExportAsync(source, "c1");

        await using var target = await _second.OpenAsync();
        await MemoryExport.ImportAsync(target, new MemoryStream(exported), null, None);
        var again = await ExportAsync(target, "c1");

        Assert.Equal(Encoding.UTF8.GetString(exported), Encoding.UTF8.GetString(again));
        var text = Encoding.UTF8.GetString(exported);
        Assert.Contains("\"version\": 2", text, StringComparison.Ordinal);
        Assert.Contains("\"supersededBy\": 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("forgotten", text, StringComparison.Ordinal);
        var history = await target.GetFactsAsync("c1", true, None);
        Assert.Equal(
            ["married to Catherine", "sister", "separated from Catherine", "Porto", "They live in Porto, by the river."],
            history.Select(f => f.Value));
        Assert.Equal(["Catherine", "Amy"], (await target.GetPeopleAsync("c1", None)).Select(p => p.Name));
        Assert.Equal(2, (await target.GetSummariesAsync("c1", None)).Count);
        Assert.Single(await target.GetReflectionsAsync("c1", None));

        // The mark moved with the turns: only the turn said after it is still to be read.
        var turns = await target.GetWholeHistoryAsync("c1", None);
        Assert.Equal(turns[^2].Id, await target.GetExtractedThroughAsync("c1", None));
    }

    [Fact]
    public async Task A_version_1_file_still_imports_and_its_turns_are_then_read_for_knowledge()
    {
        var v1 = """
            {
              "format": "kindred-companion",
              "version": 1,
              "companion": { "id": "old", "name": "Iris", "wokeAt": "2026-01-01T00:00:00+00:00", "persona": "p", "traits": [], "personName": "Sam" },
              "turns": [ { "sessionId": "s", "speaker": "person", "text": "I live in Lisbon.", "at": "2026-01-01T00:01:00+00:00", "status": "complete" } ]
            }
            """;
        await using var store = await _first.OpenAsync();

        var (id, count) = await MemoryExport.ImportAsync(store, new MemoryStream(Encoding.UTF8.GetBytes(v1)), null, None);

        Assert.Equal(("old", 1), (id, count));
        Assert.Empty(await store.GetFactsAsync("old", true, None));
        Assert.Equal(0, await store.GetExtractedThroughAsync("old", None));
        await using var worker = new KnowledgeWorker(store, store, new BuiltInExtractor(), _first.Time);
        await worker.DrainAsync("old", null, None);
        Assert.Equal("Lisbon", Assert.Single(await store.GetFactsAsync("old", false, None)).Value);
    }

    [Theory]
    [InlineData("""{ "format": "kindred-companion", "version": 2, "companion": { "id": "x", "name": "N", "wokeAt": "2026-01-01T00:00:00Z", "persona": "p", "traits": [] }, "turns": [], "facts": [ { "subject": "person", "attribute": "home", "value": "Oslo", "text": "t", "source": "builtIn", "validFrom": "2026-01-01T00:00:00Z", "turns": [3] } ] }""", "fact")]
    [InlineData("""{ "format": "kindred-companion", "version": 2, "companion": { "id": "x", "name": "N", "wokeAt": "2026-01-01T00:00:00Z", "persona": "p", "traits": [] }, "turns": [], "people": [ { "name": "", "aliases": [], "firstMentionedAt": "2026-01-01T00:00:00Z", "turns": [] } ] }""", "person")]
    [InlineData("""{ "format": "kindred-companion", "version": 2, "companion": { "id": "x", "name": "N", "wokeAt": "2026-01-01T00:00:00Z", "persona": "p", "traits": [] }, "turns": [], "extractedTurns": 4 }""", "extraction mark")]
    public async Task Knowledge_that_points_nowhere_is_refused_and_nothing_is_written(string json, string expected)
    {
        await using var store = await _first.OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => MemoryExport.ImportAsync(store, new MemoryStream(Encoding.UTF8.GetBytes(json)), null, None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListCompanionsAsync(None));
    }

    private static async Task<byte[]> ExportAsync(SqliteCompanionStore store, string companionId)
    {
        using var buffer = new MemoryStream();
        await MemoryExport.ExportAsync(store, companionId, buffer, None);
        return buffer.ToArray();
    }
}
