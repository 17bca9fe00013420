using Microsoft.Data.Sqlite;

namespace Kindred.Memory.Tests;

public sealed class ForgetTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    // A word no other text in these stores contains; the scan looks for its tail, which is just as unique.
    private const string Marker = "zebra7f3a9";
    private const string MarkerTail = "7f3a9";
    private const string SecretTurn = "My locker code is zebra7f3a9, please keep it between us.";

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<SqliteCompanionStore> OpenWithHistoryAsync()
    {
        var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity("c1"), None);
        await store.CreateCompanionAsync(Samples.Identity("c2", "Quill"), None);
        await Corpus.AppendDistractorsAsync(store, "c1", 500);
        await Corpus.AppendDistractorsAsync(store, "c2", 500);
        return store;
    }

    [Fact]
    public async Task AForgottenTurnLeavesNoTraceInTheFiles()
    {
        var store = await OpenWithHistoryAsync();
        var secret = await store.AppendTurnAsync(Samples.Turn(SecretTurn), None);
        await store.AppendTurnAsync(Samples.Turn("And the dog needs walking."), None);
        Assert.NotEmpty(RawFiles.FindUtf8(_db.DatabasePath, MarkerTail));

        Assert.True(await store.ForgetTurnAsync("c1", secret.Id, None));

        // Still open: what a crash right now would leave on disk, the log included.
        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, MarkerTail));
        Assert.DoesNotContain(await store.GetHistoryAsync("c1", 0, 10_000, None), turn => turn.Text.Contains(Marker, StringComparison.Ordinal));
        Assert.DoesNotContain(await store.GetRecentTurnsAsync("c1", 10, None), turn => turn.Id == secret.Id);
        Assert.Equal("And the dog needs walking.", (await store.GetRecentTurnsAsync("c1", 1, None))[0].Text);
        await store.DisposeAsync();

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, MarkerTail));
    }

    [Fact]
    public async Task AForgottenCompanionLeavesNoTraceInTheFiles()
    {
        var store = await OpenWithHistoryAsync();
        await store.CreateCompanionAsync(Samples.Identity("secret", "Xylo4b2c8"), None);
        await store.AppendTurnAsync(Samples.Turn(SecretTurn, "secret"), None);
        await Corpus.AppendDistractorsAsync(store, "secret", 100);
        var kept = await store.AppendTurnAsync(Samples.Turn("The garden is blooming.", "c2"), None);

        Assert.True(await store.ForgetCompanionAsync("secret", None));

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, MarkerTail));
        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, "4b2c8"));
        Assert.Null(await store.FindCompanionAsync("secret", None));
        Assert.Empty(await store.GetRecentTurnsAsync("secret", 10, None));
        Assert.Equal(2, (await store.ListCompanionsAsync(None)).Count);
        Assert.Equal(501, (await store.GetRelationshipAsync("c2", None)).TurnCount);
        Assert.Equal(kept, (await store.GetRecentTurnsAsync("c2", 1, None))[0]);
        await store.DisposeAsync();

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, MarkerTail));
        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, "4b2c8"));
    }

    [Fact]
    public async Task AnotherCompanionsTurnCannotBeForgotten()
    {
        await using var store = await OpenWithHistoryAsync();
        var theirs = await store.AppendTurnAsync(Samples.Turn(SecretTurn, "c2"), None);

        Assert.False(await store.ForgetTurnAsync("c1", theirs.Id, None));
        Assert.False(await store.ForgetTurnAsync("nobody", theirs.Id, None));
        Assert.False(await store.ForgetTurnAsync("c2", theirs.Id + 1, None));

        Assert.Equal(theirs, (await store.GetRecentTurnsAsync("c2", 1, None))[0]);
        Assert.Equal([theirs], await store.GetTurnsAsync("c2", [theirs.Id], None));
    }

    [Fact]
    public async Task ForgettingAnUnknownCompanionChangesNothing()
    {
        await using var store = await OpenWithHistoryAsync();

        Assert.False(await store.ForgetCompanionAsync("nobody", None));

        Assert.Equal(2, (await store.ListCompanionsAsync(None)).Count);
        Assert.Equal(500, (await store.GetRelationshipAsync("c1", None)).TurnCount);
    }

    [Fact]
    public async Task AForgottenTurnIsForgottenOnlyOnce()
    {
        await using var store = await OpenWithHistoryAsync();
        var turn = await store.AppendTurnAsync(Samples.Turn(SecretTurn), None);

        Assert.True(await store.ForgetTurnAsync("c1", turn.Id, None));
        Assert.False(await store.ForgetTurnAsync("c1", turn.Id, None));
    }

    [Fact]
    public async Task EveryStoreConnectionZeroesWhatItDeletes()
    {
        await using var store = await _db.OpenAsync();

        Assert.Equal(1L, await store.WriteAsync(ReadSecureDeleteAsync, None));
        Assert.Equal(1L, await store.ReadAsync(ReadSecureDeleteAsync, None));
    }

    private static async Task<long> ReadSecureDeleteAsync(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA secure_delete;";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
