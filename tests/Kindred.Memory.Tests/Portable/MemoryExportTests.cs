using System.Text;
using Kindred.Core;
using Kindred.Memory.Portable;

namespace Kindred.Memory.Tests.Portable;

public sealed class MemoryExportTests : IDisposable
{
    private readonly TempDatabase _first = new();
    private readonly TempDatabase _second = new();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task Export_then_import_into_a_fresh_store_then_export_again_gives_the_same_bytes()
    {
        await using var source = await _first.OpenAsync();
        await source.CreateCompanionAsync(Samples.Identity(), CancellationToken.None);
        await source.SetPersonNameAsync("c1", "Sam", CancellationToken.None);
        await source.AppendTurnAsync(Samples.Turn("Hello — I'm Sam. 🌱 \"quoted\" \n new line"), CancellationToken.None);
        await source.AppendTurnAsync(Samples.Turn("A reply cut off", speaker: Speaker.Companion, status: TurnStatus.Interrupted, sessionId: "s2"), CancellationToken.None);
        var exported = await ExportAsync(source, "c1");

        await using var target = await _second.OpenAsync();
        var (id, count) = await MemoryExport.ImportAsync(target, new MemoryStream(exported), null, CancellationToken.None);
        var again = await ExportAsync(target, id);

        Assert.Equal("c1", id);
        Assert.Equal(2, count);
        Assert.Equal(Encoding.UTF8.GetString(exported), Encoding.UTF8.GetString(again));
        var turns = await target.GetHistoryAsync("c1", 0, 10, CancellationToken.None);
        Assert.Equal(TurnStatus.Interrupted, turns[1].Status);
        Assert.Equal("Sam", (await target.GetRelationshipAsync("c1", CancellationToken.None)).PersonName);
    }

    [Fact]
    public async Task Importing_under_another_id_keeps_both_and_an_existing_id_is_refused()
    {
        await using var store = await _first.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), CancellationToken.None);
        await store.AppendTurnAsync(Samples.Turn("one"), CancellationToken.None);
        var exported = await ExportAsync(store, "c1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MemoryExport.ImportAsync(store, new MemoryStream(exported), null, CancellationToken.None));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);

        var (id, _) = await MemoryExport.ImportAsync(store, new MemoryStream(exported), "copy", CancellationToken.None);
        Assert.Equal("copy", id);
        Assert.Single(await store.GetHistoryAsync("copy", 0, 10, CancellationToken.None));
        Assert.Single(await store.GetHistoryAsync("c1", 0, 10, CancellationToken.None));
    }

    [Theory]
    [InlineData("{ not json", "not a readable Kindred export")]
    [InlineData("""{ "format": "something-else", "version": 1 }""", "not a Kindred export")]
    [InlineData("""{ "format": "kindred-companion", "version": 9 }""", "version 9")]
    [InlineData("""{ "format": "kindred-companion", "version": 1, "turns": [] }""", "missing its id")]
    [InlineData("""{ "format": "kindred-companion", "version": 1, "companion": { "id": "x", "name": "N", "wokeAt": "2026-01-01T00:00:00Z", "persona": "p", "traits": [] }, "turns": [ { "sessionId": "s", "speaker": "person", "at": "2026-01-01T00:00:00Z", "status": "complete" } ] }""", "turn without text")]
    public async Task A_bad_file_is_refused_clearly_and_writes_nothing(string json, string expected)
    {
        await using var store = await _first.OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => MemoryExport.ImportAsync(store, new MemoryStream(Encoding.UTF8.GetBytes(json)), null, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListCompanionsAsync(CancellationToken.None));
    }

    private static async Task<byte[]> ExportAsync(SqliteCompanionStore store, string companionId)
    {
        using var buffer = new MemoryStream();
        await MemoryExport.ExportAsync(store, companionId, buffer, CancellationToken.None);
        return buffer.ToArray();
    }
}
