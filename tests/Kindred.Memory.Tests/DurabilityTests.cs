using Kindred.Core;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory.Tests;

public sealed class DurabilityTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AfterARestartEverythingIsStillThere()
    {
        List<StoredTurn> appended = [];
        await using (var store = await _db.OpenAsync())
        {
            await store.CreateCompanionAsync(Samples.Identity(), None);
            await store.SetPersonNameAsync("c1", "Theodore", None);
            appended.Add(await store.AppendTurnAsync(Samples.Turn("hello"), None));
            appended.Add(await store.AppendTurnAsync(Samples.Turn("hi Theodore", speaker: Speaker.Companion), None));
        }

        await using var reopened = await _db.OpenAsync();

        var identity = await reopened.FindCompanionAsync("c1", None);
        Assert.NotNull(identity);
        Assert.Equal("Wren", identity.Name);
        Assert.Equal(Samples.Identity().Traits, identity.Traits);
        Assert.Equal(appended, await reopened.GetHistoryAsync("c1", 0, 10, None));
        var relationship = await reopened.GetRelationshipAsync("c1", None);
        Assert.Equal("Theodore", relationship.PersonName);
        Assert.Equal(2, relationship.TurnCount);

        var next = await reopened.AppendTurnAsync(Samples.Turn("still here?"), None);
        Assert.True(next.Id > appended[^1].Id);
    }

    [Fact]
    public async Task ATurnIsInTheFilesOnDiskAsSoonAsTheAppendReturns()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        var turn = await store.AppendTurnAsync(Samples.Turn("remember this"), None);

        // Copying the files while the store is still open is what a SIGKILL leaves behind: nothing was closed or
        // checkpointed, so the turn must already be in the database file or its write-ahead log.
        var crashed = Path.Combine(_db.Folder, "crashed", "kindred.db");
        Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
        File.Copy(_db.DatabasePath, crashed);
        if (File.Exists(_db.DatabasePath + "-wal"))
        {
            File.Copy(_db.DatabasePath + "-wal", crashed + "-wal");
        }

        await using var recovered = await _db.OpenAsync(crashed);
        Assert.Equal([turn], await recovered.GetRecentTurnsAsync("c1", 10, None));
    }

    [Fact]
    public async Task EveryStoreConnectionUsesWalWithFullSyncAndForeignKeys()
    {
        await using var store = await _db.OpenAsync();

        var onWriter = await store.WriteAsync(ReadSettingsAsync, None);
        var onReader = await store.ReadAsync(ReadSettingsAsync, None);

        Assert.Equal(("wal", 2L, 1L), onWriter);
        Assert.Equal(("wal", 2L, 1L), onReader);
    }

    [Fact]
    public async Task DisposingClosesTheFileAndLaterCallsFailClearly()
    {
        var store = await _db.OpenAsync();
        await store.DisposeAsync();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListCompanionsAsync(None));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CreateCompanionAsync(Samples.Identity(), None));
        // Closed and unpooled: the file can be moved away, as a backup or restore would.
        File.Move(_db.DatabasePath, _db.DatabasePath + ".bak");
    }

    private static async Task<(string JournalMode, long Synchronous, long ForeignKeys)> ReadSettingsAsync(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; PRAGMA synchronous; PRAGMA foreign_keys;";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var journalMode = reader.GetString(0);
        await reader.NextResultAsync();
        await reader.ReadAsync();
        var synchronous = reader.GetInt64(0);
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return (journalMode, synchronous, reader.GetInt64(0));
    }
}
